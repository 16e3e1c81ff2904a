import { resolve } from 'node:path';
import { type BackoffStrategy, exponential } from '@locksmith/backoff';
import { type Clock, InvalidArgumentError } from '@locksmith/core';
import {
  type LeaseKeeperFactory,
  MAX_TIMER_MS,
  validateBoolean,
  validateClock,
  validateInteger,
  validateOptionsObject,
} from '@locksmith/core/protocol';
import { type LeaseTimingOptions, resolveClientTiming } from '@locksmith/lease';

/** Wall-clock time in ms since the epoch, as `Date.now()` returns it. */
export interface WallClock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** Options of {@link fileLocks}. Unknown options are rejected. */
export interface FileLocksOptions {
  /**
   * Directory that holds the locks; created on first use. Every process that should contend for
   * the same keys passes the same directory (on the same file system). Required.
   */
  readonly dir: string;
  /**
   * Longest pause between two polls of a held lock, in ms: waiters back off exponentially from
   * 5 ms up to this, with full jitter. Lower notices releases sooner but costs more `readdir`s.
   * Not together with `backoff`.
   * @defaultValue 250
   */
  readonly pollMs?: number;
  /** A `@locksmith/backoff` strategy for the polls, instead of the one `pollMs` describes. */
  readonly backoff?: BackoffStrategy;
  /**
   * Also watch a waited-for key's directory with `fs.watch`, so a release on this host wakes
   * waiters at once rather than at their next poll. Polling continues either way (watchers miss
   * changes made by other hosts of a network file system).
   * @defaultValue true
   */
  readonly watch?: boolean;
  /**
   * Monotonic clock for this client's own lease deadlines (its keeper's renewals and `lease.held`).
   * It does not date what is written to the directory: that uses the host's CLOCK_MONOTONIC
   * (`process.hrtime`) and the kernel boot id, so that every process of one boot compares the same
   * clock. @defaultValue `systemClock`
   */
  readonly clock?: Clock;
  /**
   * Wall clock used where no shared monotonic clock exists: for the wall deadline written next to
   * the monotonic one, which only a process on another host (a network file system) compares
   * with its own wall time, and for the fencing-token floor (every token is at least the wall time
   * in µs). A step of this clock cannot cut or stretch a lease between processes of one boot.
   * Between hosts it can: their clocks must agree to within the lease drift margin
   * (`driftFactor × ttlMs + driftMs`, 1% + 2 ms by default), or a host running ahead takes a
   * live lock over early (fencing tokens still reject the old holder's writes).
   * @defaultValue `Date`
   */
  readonly wallClock?: WallClock;
  /** Renewal timing of the client's lease keeper (`leaseKeeper(options.lease)`). @defaultValue `{}` */
  readonly lease?: LeaseTimingOptions;
}

/** {@link FileLocksOptions} checked and with defaults applied. */
export interface ResolvedFileLocksOptions {
  readonly dir: string;
  readonly strategy: BackoffStrategy;
  readonly clock: Clock;
  readonly wallClock: WallClock;
  /** The client's lease keeper, built from `options.lease`. */
  readonly keeper: LeaseKeeperFactory;
  readonly watch: boolean;
}

/** Default upper bound of the poll backoff, in ms. */
export const DEFAULT_POLL_MS = 250;
/** First poll delay's ceiling, in ms (or `pollMs` when smaller). */
const BASE_POLL_MS = 5;

const OPTIONS = ['dir', 'pollMs', 'backoff', 'watch', 'clock', 'wallClock', 'lease'] as const;

/**
 * Checks {@link FileLocksOptions} and applies defaults; does no I/O.
 * @throws InvalidArgumentError naming the option.
 */
export function resolveFileLocksOptions(options: unknown): ResolvedFileLocksOptions {
  if (options === undefined) throw new InvalidArgumentError('options', 'is required ({ dir })');
  const o = validateOptionsObject<FileLocksOptions>('options', options, OPTIONS);
  if (typeof o.dir !== 'string' || o.dir.length === 0 || o.dir.includes('\u0000')) {
    const got = typeof o.dir === 'string' ? JSON.stringify(o.dir) : o.dir === null ? 'null' : typeof o.dir;
    throw new InvalidArgumentError('options.dir', `must be a non-empty path without NUL (got ${got})`);
  }
  if (o.pollMs !== undefined && o.backoff !== undefined) {
    throw new InvalidArgumentError('options.pollMs', 'cannot be combined with options.backoff');
  }
  let strategy: BackoffStrategy;
  if (o.backoff !== undefined) {
    const b = o.backoff as unknown;
    if (typeof b !== 'object' || b === null || typeof (b as BackoffStrategy).start !== 'function') {
      throw new InvalidArgumentError('options.backoff', 'must be a BackoffStrategy from @locksmith/backoff');
    }
    strategy = b as BackoffStrategy;
  } else {
    const pollMs =
      o.pollMs === undefined
        ? DEFAULT_POLL_MS
        : validateInteger('options.pollMs', o.pollMs, { min: 1, max: MAX_TIMER_MS });
    strategy = exponential({ baseMs: Math.min(BASE_POLL_MS, pollMs), capMs: pollMs, jitter: 'full' });
  }
  // Checked here so that options are rejected before the directory is touched.
  const { clock, keeper } = resolveClientTiming(o);
  return {
    dir: resolve(o.dir),
    strategy,
    clock,
    keeper,
    // The one wall time read of this package: deadlines other processes must be able to compare.
    wallClock:
      o.wallClock === undefined
        ? { now: () => Date.now() }
        : validateClock<WallClock>('options.wallClock', o.wallClock),
    watch: o.watch === undefined ? true : validateBoolean('options.watch', o.watch),
  };
}
