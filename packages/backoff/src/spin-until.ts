import { type Clock, InvalidArgumentError, systemClock } from '@locksmith/core';
import {
  describeValue,
  MAX_TIMER_MS,
  sleep,
  validateClock,
  validateInteger,
  validateOptionsObject,
  validateSignal,
} from '@locksmith/core/protocol';
import type { BackoffStrategy, RandomSource } from './backoff-strategy.ts';
import { validateRandom } from './random.ts';

/** What {@link spinUntil} tells each attempt. */
export interface SpinAttempt {
  /** 1 for the first attempt, then 2, 3, … */
  readonly attempt: number;
  /** Milliseconds since `spinUntil` was called, on the injected monotonic clock. */
  readonly elapsedMs: number;
  /** Milliseconds left until the deadline (`Infinity` without `waitMs`); ≤ 0 on the final attempt. */
  readonly remainingMs: number;
}

/** Options of {@link spinUntil}. */
export interface SpinOptions {
  /** Delays between attempts, e.g. `exponential({ baseMs: 5, capMs: 200, jitter: 'full' })`. */
  readonly strategy: BackoffStrategy;
  /**
   * How long to keep trying, in ms: an integer in [0, 2147483647] or `Infinity`. `0` makes exactly
   * one attempt.
   * @defaultValue Infinity
   */
  readonly waitMs?: number;
  /** Stops the wait: `spinUntil` rejects with `signal.reason`, also in the middle of a sleep. */
  readonly signal?: AbortSignal;
  /** Monotonic clock for the deadline. @defaultValue `systemClock` from @locksmith/core */
  readonly clock?: Clock;
  /** Uniform source in [0, 1) handed to the strategy. @defaultValue `Math.random` */
  readonly random?: RandomSource;
}

const SPIN_OPTIONS = ['strategy', 'waitMs', 'signal', 'clock', 'random'] as const;

/**
 * The timed spin-wait of polling backends: calls `attempt` until it returns something other than
 * `undefined`, sleeping the strategy's delay between tries. No sleep runs past the deadline: the last
 * one is cut short so that a final attempt runs at the deadline itself.
 *
 * Resolves the attempt's value, or `undefined` once `waitMs` has passed without one (the caller turns
 * that into its own timeout error). A value an attempt returns is never dropped, even when `signal`
 * aborted while the attempt ran: the caller owns what it obtained and decides whether to undo it.
 *
 * @example
 * ```ts
 * const hold = await spinUntil(() => tryCreateLockFile(path), {
 *   strategy: exponential({ baseMs: 5, capMs: 250, jitter: 'full' }),
 *   waitMs: 10_000,
 *   signal,
 * });
 * ```
 * @throws InvalidArgumentError (as a rejection, before the first attempt) naming the bad argument,
 * e.g. `options.waitMs`; or naming `options.strategy` when the strategy yields a delay that is not a
 * non-negative finite number.
 * @throws `signal.reason` when `signal` aborts; whatever `attempt` throws, unchanged.
 */
export async function spinUntil<T>(
  attempt: (info: SpinAttempt) => T | undefined | PromiseLike<T | undefined>,
  options: SpinOptions,
): Promise<T | undefined> {
  if (typeof attempt !== 'function') {
    throw new InvalidArgumentError('attempt', `must be a function (got ${typeof attempt})`);
  }
  if (options === undefined)
    throw new InvalidArgumentError('options', 'is required ({ strategy, waitMs?, signal? })');
  const o = validateOptionsObject<SpinOptions>('options', options, SPIN_OPTIONS);
  const strategy = o.strategy as unknown;
  if (
    typeof strategy !== 'object' ||
    strategy === null ||
    typeof (strategy as BackoffStrategy).start !== 'function'
  ) {
    throw new InvalidArgumentError('options.strategy', 'must be a BackoffStrategy (an object with start())');
  }
  const waitMs =
    o.waitMs === undefined
      ? Number.POSITIVE_INFINITY
      : validateInteger('options.waitMs', o.waitMs, { min: 0, max: MAX_TIMER_MS, allowInfinity: true });
  const signal = o.signal === undefined ? undefined : validateSignal('options.signal', o.signal);
  const clock = o.clock === undefined ? systemClock : validateClock('options.clock', o.clock);
  const random = o.random === undefined ? Math.random : validateRandom('options.random', o.random);

  const start = clock.now();
  const deadline = start + waitMs;
  const delays = (strategy as BackoffStrategy).start(random);
  for (let n = 1; ; n += 1) {
    signal?.throwIfAborted();
    const now = clock.now();
    const value = await attempt({ attempt: n, elapsedMs: now - start, remainingMs: deadline - now });
    if (value !== undefined) return value;
    signal?.throwIfAborted();
    const remaining = deadline - clock.now();
    if (remaining <= 0) return undefined;
    const delay = delays.nextDelay();
    if (typeof delay !== 'number' || !(delay >= 0 && delay <= Number.MAX_VALUE)) {
      throw new InvalidArgumentError(
        'options.strategy',
        `yielded an invalid delay (got ${describeValue(delay)})`,
      );
    }
    await sleep(Math.min(delay, remaining, MAX_TIMER_MS), signal);
  }
}
