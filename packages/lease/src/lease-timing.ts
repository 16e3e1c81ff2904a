import { InvalidArgumentError } from '@locksmith/core';
import { describeValue, validateOptionsObject } from '@locksmith/core/protocol';

/** Timing policy of a {@link leaseKeeper}. */
export interface LeaseTimingOptions {
  /**
   * Renew once this fraction of the TTL has passed since the last successful request was sent.
   * Lower renews more often but leaves more tries before the deadline. In (0, 1).
   * @defaultValue 1/3 (two more tries fit before the lease runs out)
   */
  readonly renewFraction?: number;
  /**
   * Clock-drift margin as a fraction of the TTL, plus {@link LeaseTimingOptions.driftMs}: a lease
   * is treated as lost this long before its TTL ends, so a slower server clock cannot make two
   * holders overlap. In [0, 0.5).
   * @defaultValue 0.01 (as Redlock's reference implementation)
   */
  readonly driftFactor?: number;
  /** Fixed part of the drift margin, in ms (timer latency). @defaultValue 2 */
  readonly driftMs?: number;
}

/** {@link LeaseTimingOptions} with defaults applied. */
export interface LeaseTiming {
  /** {@link LeaseTimingOptions.renewFraction}, default 1/3. */
  readonly renewFraction: number;
  /** {@link LeaseTimingOptions.driftFactor}, default 0.01. */
  readonly driftFactor: number;
  /** {@link LeaseTimingOptions.driftMs}, default 2. */
  readonly driftMs: number;
}

function fraction(argument: string, value: unknown, max: number, minExclusive: boolean): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (minExclusive ? value > 0 : value >= 0) &&
    value < max;
  if (!ok) {
    const range = `${minExclusive ? '(' : '['}0, ${max})`;
    throw new InvalidArgumentError(argument, `must be a number in ${range} (got ${describeValue(value)})`);
  }
  return value;
}

/**
 * Checks timing options and applies defaults.
 * @param argument - how the caller names these options in errors, e.g. `options.lease`.
 * @throws InvalidArgumentError naming the option, e.g. `options.lease.driftMs`.
 */
export function resolveLeaseTiming(options: unknown, argument = 'options'): LeaseTiming {
  const o = validateOptionsObject<LeaseTimingOptions>(argument, options, [
    'renewFraction',
    'driftFactor',
    'driftMs',
  ]);
  const driftMs = o.driftMs ?? 2;
  if (typeof driftMs !== 'number' || !Number.isInteger(driftMs) || driftMs < 0 || driftMs > 60_000) {
    throw new InvalidArgumentError(
      `${argument}.driftMs`,
      `must be an integer in [0, 60000] (got ${describeValue(driftMs)})`,
    );
  }
  return {
    renewFraction:
      o.renewFraction === undefined ? 1 / 3 : fraction(`${argument}.renewFraction`, o.renewFraction, 1, true),
    driftFactor:
      o.driftFactor === undefined ? 0.01 : fraction(`${argument}.driftFactor`, o.driftFactor, 0.5, false),
    driftMs,
  };
}

/**
 * The last moment a lease can be trusted: `sentAt + ttl - drift`. Measured from when the request
 * was sent, never from when the answer arrived, because the server started the TTL in between.
 */
export function leaseDeadline(timing: LeaseTiming, sentAt: number, ttlMs: number): number {
  return sentAt + ttlMs - Math.floor(ttlMs * timing.driftFactor) - timing.driftMs;
}

/** When to send the next renewal of a lease last confirmed by a request sent at `sentAt`. */
export function renewalDue(timing: LeaseTiming, sentAt: number, ttlMs: number): number {
  return sentAt + ttlMs * timing.renewFraction;
}

/** Delay before retrying a renewal that could not reach the backend. */
export function retryDelay(ttlMs: number): number {
  return Math.min(Math.max(Math.floor(ttlMs / 10), 10), 1_000);
}
