import { type Clock, systemClock } from '@locksmith/core';
import { type LeaseKeeperFactory, validateClock } from '@locksmith/core/protocol';
import { leaseKeeper } from './lease-keeper.ts';
import { type LeaseTiming, type LeaseTimingOptions, resolveLeaseTiming } from './lease-timing.ts';

/** The time options every backend factory takes, under these names. */
export interface ClientTimingOptions {
  /**
   * Monotonic clock for this client's lease deadlines and waits.
   * @defaultValue `systemClock` from `@locksmith/core`
   */
  readonly clock?: Clock;
  /** Renewal timing of the client's lease keeper. @defaultValue `{}` */
  readonly lease?: LeaseTimingOptions;
}

/** {@link ClientTimingOptions} checked, with defaults, ready for `createLockClient`. */
export interface ClientTiming {
  /** {@link ClientTimingOptions.clock}, or `systemClock`. */
  readonly clock: Clock;
  /** {@link ClientTimingOptions.lease} with defaults applied. */
  readonly timing: LeaseTiming;
  /** A {@link leaseKeeper} with that timing, to pass to `createLockClient`. */
  readonly keeper: LeaseKeeperFactory;
}

/**
 * Checks a backend factory's `clock` and `lease` options once, before any I/O, and builds the
 * client's keeper from them. Errors name the option as the caller wrote it (`options.lease.driftMs`).
 * @throws InvalidArgumentError for a bad clock or lease timing.
 */
export function resolveClientTiming(options: ClientTimingOptions, argument = 'options'): ClientTiming {
  const clock = options.clock === undefined ? systemClock : validateClock(`${argument}.clock`, options.clock);
  const timing = resolveLeaseTiming(options.lease, `${argument}.lease`);
  return { clock, timing, keeper: leaseKeeper(timing, `${argument}.lease`) };
}
