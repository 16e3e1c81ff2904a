import { InvalidArgumentError } from '@locksmith/core';
import {
  describeValue,
  MAX_TIMER_MS,
  validateInteger,
  validateOptionsObject,
} from '@locksmith/core/protocol';
import type { BackoffSequence, BackoffStrategy, RandomSource } from './backoff-strategy.ts';
import { randomBetween, validateRandom } from './random.ts';

/** Options of {@link constant}. */
export interface ConstantOptions {
  /**
   * Fraction of `ms` taken off at random, in [0, 1]: each delay is uniform in
   * `[ms × (1 − jitter), ms]`. `1` is "full jitter", `0.5` is "equal jitter". Without jitter, waiters
   * that started together poll in lockstep and a handoff costs a whole interval.
   * @defaultValue 0 (exactly `ms` every time)
   */
  readonly jitter?: number;
}

/**
 * The same delay before every attempt, optionally jittered downwards.
 *
 * @param ms - the delay (and, with jitter, the upper bound), an integer in [0, 2147483647].
 * @example
 * ```ts
 * const strategy = constant(50, { jitter: 0.5 }); // each delay in 25..50 ms
 * ```
 * @throws InvalidArgumentError naming `ms` or `options.jitter`.
 */
export function constant(ms: number, options?: ConstantOptions): BackoffStrategy {
  validateInteger('ms', ms, { min: 0, max: MAX_TIMER_MS });
  const o = validateOptionsObject<ConstantOptions>('options', options, ['jitter']);
  const jitter = o.jitter === undefined ? 0 : o.jitter;
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) {
    throw new InvalidArgumentError(
      'options.jitter',
      `must be a number in [0, 1] (got ${describeValue(jitter)})`,
    );
  }
  const low = Math.ceil(ms * (1 - jitter));
  return {
    start(random: RandomSource = Math.random): BackoffSequence {
      validateRandom('random', random);
      return { nextDelay: () => (low === ms ? ms : randomBetween(random, low, ms)) };
    },
  };
}
