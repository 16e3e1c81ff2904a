// The servers a run started for itself are stopped when it ends, unless the user asked to keep
// them (`--keep-servers`): a run leaves the machine as it found it, and says so in its last line.
import type { ServiceName } from '@locksmith/backends';

/** Stops launcher services by name (`down` of `@locksmith/backends`). */
export type StopServers = (names: readonly ServiceName[]) => Promise<unknown>;

const stopWithLauncher: StopServers = async (names) => {
  const { down } = await import('@locksmith/backends');
  return down(names);
};

/**
 * Stops `started` unless `keep`; resolves the line that tells the user which, or `undefined` when
 * the run started nothing (every server already served, and still does).
 */
export async function releaseStartedServers(
  started: readonly ServiceName[],
  keep: boolean,
  stop: StopServers = stopWithLauncher,
): Promise<string | undefined> {
  if (started.length === 0) return undefined;
  const names = started.join(' ');
  if (keep) return `kept the servers this run started (${names}): \`pnpm backends down ${names}\` stops them`;
  try {
    await stop(started);
    return `stopped the servers this run started (${names}); \`--keep-servers\` keeps them running`;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return `could not stop the servers this run started (${names}): ${why}; \`pnpm backends down ${names}\` stops them`;
  }
}
