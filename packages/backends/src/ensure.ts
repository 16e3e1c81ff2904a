// What tests and the bench call: make sure the backends they need serve, and get their settings.
// Under LOCKSMITH_REQUIRE_BACKENDS=1 (CI) a backend that cannot start is an error; elsewhere it
// comes back as a skip reason, so its tests skip and say why.
import { backendEnv, skipVariable } from './env.ts';
import { type UpOptions, type UpResult, up } from './launcher.ts';
import { SERVICE_NAMES, type ServiceName } from './topology.ts';

export interface EnsureOptions extends UpOptions {
  /** Throw when a backend cannot start. Default: LOCKSMITH_REQUIRE_BACKENDS === '1'. */
  required?: boolean;
}

export interface EnsureResult {
  /** Connection settings for the services that serve (proxied ones when toxiproxy is among them). */
  env: Record<string, string>;
  /** Why each service that does not serve was skipped. */
  skipped: Partial<Record<ServiceName, string>>;
  /** Services this call started (the rest already served). */
  started: ServiceName[];
  results: UpResult[];
}

export class BackendsUnavailableError extends Error {
  readonly code = 'BACKENDS_UNAVAILABLE';
  constructor(readonly skipped: Partial<Record<ServiceName, string>>) {
    super(
      `backends that must serve (LOCKSMITH_REQUIRE_BACKENDS=1) could not start:\n${Object.entries(skipped)
        .map(([name, why]) => `  ${name}: ${why}`)
        .join('\n')}`,
    );
    this.name = 'BackendsUnavailableError';
  }
}

export const requireBackends = () => process.env.LOCKSMITH_REQUIRE_BACKENDS === '1';

export async function ensureBackends(
  names: readonly ServiceName[] = SERVICE_NAMES,
  options: EnsureOptions = {},
): Promise<EnsureResult> {
  const results = await up(names, options);
  const serving = results.filter((r) => r.state !== 'failed').map((r) => r.service);
  const skipped: Partial<Record<ServiceName, string>> = {};
  for (const r of results) if (r.state === 'failed') skipped[r.service] = r.reason ?? r.detail;
  if ((options.required ?? requireBackends()) && Object.keys(skipped).length > 0)
    throw new BackendsUnavailableError(skipped);
  return {
    env: backendEnv(serving),
    skipped,
    started: results.filter((r) => r.state === 'started').map((r) => r.service),
    results,
  };
}

/** Puts the settings (and skip reasons) into process.env, for code that reads the environment. */
export function exportEnv(result: Pick<EnsureResult, 'env' | 'skipped'>): void {
  Object.assign(process.env, result.env);
  for (const [name, why] of Object.entries(result.skipped))
    process.env[skipVariable(name as ServiceName)] = why;
}

/**
 * Why a service's tests should skip, or undefined when its settings are in the environment
 * (put there by the global setup, or by `source <(pnpm -s backends env)`).
 */
export function skipReason(name: ServiceName): string | undefined {
  const why = process.env[skipVariable(name)];
  if (why !== undefined) return why;
  const missing = Object.keys(backendEnv([name])).filter((k) => process.env[k] === undefined);
  return missing.length === 0
    ? undefined
    : `${missing.join(', ')} not set: add @locksmith/backends/global-setup to the vitest config, or run \`pnpm backends up\` and export \`pnpm --silent backends env\``;
}
