import { readFileSync } from 'node:fs';
import type { FileLockState, StateDeadline } from './file-names.ts';

/**
 * The clocks a lock directory's deadlines are written on and compared with.
 *
 * Processes of one kernel boot share CLOCK_MONOTONIC (`process.hrtime.bigint()` reads it on
 * Linux), which no wall-clock step moves; the kernel's boot id tells a reader whether a deadline
 * was written on its own boot. Only a deadline written on another boot (another host of a network
 * file system, or before a reboot) is compared on wall time.
 */
export interface HostClock {
  /** This kernel boot's id (32 hex), or `undefined` where the platform does not expose one. */
  readonly boot: string | undefined;
  /** CLOCK_MONOTONIC in ms (any origin shared by every process of this boot). */
  mono(): number;
  /** Wall time in ms since the epoch. */
  wall(): number;
}

const BOOT_ID_FILE = '/proc/sys/kernel/random/boot_id';

let bootId: string | null | undefined;

/** The kernel's boot id without dashes, read once; `undefined` off Linux (wall time is used then). */
export function kernelBootId(): string | undefined {
  if (bootId === undefined) {
    try {
      const id = readFileSync(BOOT_ID_FILE, 'utf8').trim().replace(/-/g, '').toLowerCase();
      bootId = /^[0-9a-f]{32}$/.test(id) ? id : null;
    } catch {
      bootId = null;
    }
  }
  return bootId ?? undefined;
}

/** The host's clocks, with `wall` the wall clock the client was given. */
export function hostClock(wall: { now(): number }): HostClock {
  return {
    boot: kernelBootId(),
    mono: () => Number(process.hrtime.bigint()) / 1e6,
    wall: () => wall.now(),
  };
}

/** The deadline `ttlMs` from now, on both clocks. */
export function deadlineIn(clock: HostClock, ttlMs: number): StateDeadline {
  return { wall: clock.wall() + ttlMs, boot: clock.boot, mono: clock.mono() + ttlMs };
}

/**
 * Whether a held state's lease has ended, for this reader: on the shared monotonic clock when it
 * was written on this boot; at once when it was written on another boot of a directory that only
 * this kernel can reach (`singleKernel`: the writer ran before a reboot); else on wall time (a
 * holder on another host, whose monotonic clock cannot be read from here).
 */
export function leaseEnded(
  state: FileLockState & { kind: 'held' },
  clock: HostClock,
  singleKernel = false,
): boolean {
  if (clock.boot !== undefined && state.boot !== undefined && state.monoDeadline !== undefined) {
    if (state.boot === clock.boot) return clock.mono() > state.monoDeadline;
    if (singleKernel) return true;
  }
  return clock.wall() > state.deadline;
}

/** 1 ms in token units: tokens are at least the wall time in µs. */
const MICROS_PER_MS = 1000n;

/**
 * The token after `last`: `last + 1`, but at least the wall time in µs, so that a key whose state
 * was deleted (removed when unused, a wiped tmpfs, `rm -r`) never goes back to a token a fence
 * has already seen, as long as the wall clock has not stepped back past the last token.
 */
export function nextToken(last: bigint, clock: HostClock): bigint {
  const floor = tokenFloor(clock);
  return last + 1n > floor ? last + 1n : floor;
}

/** The wall time in µs: no token is issued below it. */
export function tokenFloor(clock: HostClock): bigint {
  return BigInt(Math.floor(clock.wall())) * MICROS_PER_MS;
}
