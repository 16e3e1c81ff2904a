// Finds the servers a run needs: the bench's probes (LOCKSMITH_* settings when they answer, else
// the launcher's servers), and toxiproxy for the network faults.
import type { ServiceName } from '@locksmith/backends';
import { type BackendStatus, prepareBackends } from '@locksmith/bench-app/backends';
import type { Requirement } from './targets/target-definition.ts';

export interface Servers {
  readonly versions: Readonly<Record<string, string>>;
  /** Why each unreachable requirement is missing, and how to get it. */
  readonly missing: ReadonlyMap<Requirement, string>;
  /** Servers the launcher started for this run (the rest already served): stopped at its end. */
  readonly started: readonly ServiceName[];
}

async function toxiproxyVersion(url: string): Promise<string | undefined> {
  try {
    const reply = await fetch(`${url}/version`, { signal: AbortSignal.timeout(3_000) });
    if (!reply.ok) return undefined;
    // toxiproxy 2.12 answers {"version": "2.12.0"}; older ones answer the bare version.
    const text = (await reply.text()).trim();
    return /"version":\s*"([^"]+)"/.exec(text)?.[1] ?? text;
  } catch {
    return undefined;
  }
}

/**
 * Makes sure toxiproxy answers (starting the launcher's when LOCKSMITH_TOXIPROXY_URL is unset, and
 * then adding it to `started`); resolves its version.
 */
async function findToxiproxy(
  log: (line: string) => void,
  started: ServiceName[],
): Promise<string | undefined> {
  const given = process.env.LOCKSMITH_TOXIPROXY_URL;
  if (given !== undefined) return toxiproxyVersion(given);
  log('starting toxiproxy through the backends launcher (pnpm backends up toxiproxy)…');
  try {
    const { ensureBackends } = await import('@locksmith/backends');
    const result = await ensureBackends(['toxiproxy'], { required: false });
    started.push(...result.started);
    const url = result.env.LOCKSMITH_TOXIPROXY_URL;
    if (url === undefined) return undefined;
    process.env.LOCKSMITH_TOXIPROXY_URL = url;
    return toxiproxyVersion(url);
  } catch {
    return undefined;
  }
}

/** The servers for `needed` (deduplicated), and toxiproxy when `network` faults are asked for. */
export async function findServers(
  needed: readonly Requirement[],
  network: boolean,
  log: (line: string) => void,
): Promise<Servers> {
  const status: BackendStatus = await prepareBackends([...new Set(needed)], log);
  const versions: Record<string, string> = { ...status.versions };
  const started: ServiceName[] = [...status.started];
  if (network) {
    const version = await findToxiproxy(log, started);
    if (version === undefined) log('toxiproxy does not answer: latency and cut will not run');
    else versions.toxiproxy = version;
  }
  return { versions, missing: status.missing, started };
}
