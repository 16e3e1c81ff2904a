import { lstat, readdir, rm, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { SCRATCH_PREFIX } from './file-names.ts';
import { code, readState } from './file-state.ts';
import { type HostClock, leaseEnded } from './host-clock.ts';

/** Timing of a sweep; see {@link sweepLockDir}. */
export interface SweepTiming {
  /**
   * A state is removed only once the wall time is this far past its token (tokens are wall µs),
   * so a key created again gets a higher token even if the clock reading it lags by this much.
   */
  readonly tokenMarginMs: number;
  /** Age (by mtime) past which a scratch directory is taken for one a killed process left. */
  readonly scratchMaxAgeMs: number;
}

export const SWEEP_TIMING: SweepTiming = Object.freeze({ tokenMarginMs: 1_000, scratchMaxAgeMs: 60_000 });

/** Sweeps run every 0.5 to 1 s per client (jittered so clients do not sweep together). */
export const SWEEP_EVERY_MS = { min: 500, max: 1_000 } as const;

/**
 * Removes what unused keys left in the lock directory `dir`: the state of every key that is free
 * or whose lease ended, once its token is `tokenMarginMs` old, with its directory; empty key
 * directories; scratch directories older than `scratchMaxAgeMs`. Each removal is a
 * compare-and-swap on the exact name read (see file-state.ts), so it never removes a state that
 * changed meanwhile. Best effort: errors are left for the next sweep. Resolves how many key
 * directories it removed.
 */
export async function sweepLockDir(
  dir: string,
  clock: HostClock,
  timing = SWEEP_TIMING,
  singleKernel = false,
): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    try {
      if (name.startsWith(SCRATCH_PREFIX)) await sweepScratch(join(dir, name), clock, timing);
      else if (name.startsWith('k-') && (await sweepKey(join(dir, name), clock, timing, singleKernel)))
        removed += 1;
    } catch {
      // Permissions, a racing removal: the next sweep looks again.
    }
  }
  return removed;
}

async function sweepKey(
  keyDir: string,
  clock: HostClock,
  timing: SweepTiming,
  singleKernel: boolean,
): Promise<boolean> {
  const read = await readState(keyDir);
  if (read.kind === 'unclear') return false;
  if (read.kind === 'state') {
    const { state } = read;
    if (state.kind === 'held' && !leaseEnded(state, clock, singleKernel)) return false;
    const cutoff = BigInt(Math.floor(clock.wall() - timing.tokenMarginMs)) * 1000n;
    if (state.token > cutoff) return false;
    try {
      await unlink(join(keyDir, state.name));
    } catch (error) {
      if (code(error) === 'ENOENT') return false; // the state changed: the key is in use
      throw error;
    }
  }
  try {
    await rmdir(keyDir);
    return true;
  } catch (error) {
    // ENOTEMPTY: a creator renamed a fresh key directory over the empty one; it stays.
    if (code(error) === 'ENOENT' || code(error) === 'ENOTEMPTY' || code(error) === 'EEXIST') return false;
    throw error;
  }
}

async function sweepScratch(path: string, clock: HostClock, timing: SweepTiming): Promise<void> {
  const stat = await lstat(path);
  if (clock.wall() - stat.mtimeMs > timing.scratchMaxAgeMs) await rm(path, { recursive: true, force: true });
}
