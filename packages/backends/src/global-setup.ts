// vitest globalSetup: starts the backends a test run needs when they are not up, and hands their
// settings to the tests (process.env, which the workers inherit, and `inject('locksmithBackends')`).
//
//   // vitest.config.ts: every service named in LOCKSMITH_BACKENDS (default: all)
//   test: { globalSetup: ['@locksmith/backends/global-setup'] }
//   // or a fixed list, from a file of the package's own: export default backendsSetup(['redis', 'redlock'])
//
// Teardown stops only what this setup started; LOCKSMITH_KEEP_BACKENDS=1 leaves them running.
import type { TestProject } from 'vitest/node';
import { type EnsureResult, ensureBackends, exportEnv } from './ensure.ts';
import { down } from './launcher.ts';
import { isServiceName, SERVICE_NAMES, type ServiceName } from './topology.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    locksmithBackends: Pick<EnsureResult, 'env' | 'skipped'>;
  }
}

function fromEnv(): ServiceName[] {
  const list = process.env.LOCKSMITH_BACKENDS;
  if (list === undefined || list.trim() === '') return [...SERVICE_NAMES];
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !isServiceName(n));
  if (unknown.length > 0)
    throw new Error(
      `LOCKSMITH_BACKENDS names unknown services: ${unknown.join(', ')}; known: ${SERVICE_NAMES.join(', ')}`,
    );
  return names as ServiceName[];
}

export function backendsSetup(names?: readonly ServiceName[]) {
  return async function setup(project: TestProject): Promise<() => Promise<void>> {
    const wanted = names ?? fromEnv();
    const result = await ensureBackends(wanted);
    for (const r of result.results) {
      if (r.state === 'failed')
        console.warn(`[backends] ${r.service} unavailable, its tests skip: ${r.reason}`);
    }
    exportEnv(result);
    project.provide('locksmithBackends', { env: result.env, skipped: result.skipped });
    return async () => {
      if (process.env.LOCKSMITH_KEEP_BACKENDS === '1' || result.started.length === 0) return;
      await down(result.started);
    };
  };
}

export const setup = backendsSetup();
