import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFaultSuite } from '@locksmith/testkit';
import type { RunArgs } from './args.ts';
import { clientModules } from './client-bundle.ts';
import { compact, type FaultsResults, type TargetResult } from './results.ts';
import { findServers } from './servers.ts';
import { targetNamed } from './targets/registry.ts';

/** Runs every selected fault on every selected backend, logging progress; resolves the results. */
export async function runFaults(args: RunArgs, log: (line: string) => void): Promise<FaultsResults> {
  const started = performance.now();
  const startedAt = new Date().toISOString(); // wall time, for the report's heading only
  const load0 = loadavg()[0] ?? 0;
  const elapsed = () => {
    const s = Math.round((performance.now() - started) / 1000);
    return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  };
  const say = (line: string) => log(`[${elapsed()}] ${line}`);
  const definitions = args.backends.map(targetNamed);
  const servers = await findServers(
    definitions.flatMap((d) => d.requires),
    args.faults.some((f) => f === 'latency' || f === 'cut'),
    say,
  );
  const module = await clientModules();
  const fileDir = mkdtempSync(join(tmpdir(), 'locksmith-faults-'));
  const targets: TargetResult[] = [];
  try {
    for (const definition of definitions) {
      const missing = definition.requires.map((r) => servers.missing.get(r)).find((m) => m !== undefined);
      if (missing !== undefined) {
        say(`${definition.name}: not run: ${missing}`);
        targets.push({
          name: definition.name,
          outcomes: args.faults.map((fault) => ({ fault, status: 'not-run', reason: missing })),
        });
        continue;
      }
      const target = definition.build({ env: process.env, module, fileDir });
      const result = await runFaultSuite(target, {
        faults: args.faults,
        quick: args.quick,
        ...(args.workers === undefined ? {} : { workers: args.workers }),
        onProgress: say,
      });
      targets.push({
        name: result.target,
        ...(definition.note === undefined ? {} : { note: definition.note }),
        outcomes: result.outcomes.map(compact),
      });
    }
  } finally {
    rmSync(fileDir, { recursive: true, force: true });
  }
  const cpu = cpus();
  return {
    id: args.id ?? `${startedAt.slice(0, 19).replace(/:/g, '-')}Z-${args.quick ? 'quick' : 'full'}`,
    startedAt,
    durationMs: performance.now() - started,
    machine: {
      cpus: cpu.length,
      cpuModel: cpu[0]?.model ?? 'unknown',
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      load: [load0, loadavg()[0] ?? 0],
    },
    options: { quick: args.quick, workers: args.workers ?? 3, faults: args.faults, backends: args.backends },
    servers: servers.versions,
    targets,
  };
}
