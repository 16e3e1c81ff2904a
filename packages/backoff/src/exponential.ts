import { InvalidArgumentError } from '@locksmith/core';
import {
  describeValue,
  MAX_TIMER_MS,
  validateInteger,
  validateOptionsObject,
} from '@locksmith/core/protocol';
import type { BackoffSequence, BackoffStrategy, RandomSource } from './backoff-strategy.ts';
import { randomBetween, validateRandom } from './random.ts';

/**
 * How {@link exponential} randomises its delays (AWS Architecture Blog, "Exponential Backoff and
 * Jitter"), where `ceiling(n) = min(capMs, baseMs × factor^n)` for the n-th delay (n from 0):
 * - `'none'`: `ceiling(n)`. Waiters that collided once collide again.
 * - `'full'`: uniform in `[0, ceiling(n)]`. Fewest collisions, but an occasional very short delay.
 * - `'equal'`: `ceiling(n) / 2` plus uniform in `[0, ceiling(n) / 2]`. Never shorter than half.
 * - `'decorrelated'`: `min(capMs, uniform in [baseMs, previous × 3])`, previous starting at `baseMs`.
 *   Grows with the previous delay rather than the attempt count; `factor` does not apply.
 */
export type Jitter = 'none' | 'full' | 'equal' | 'decorrelated';

const JITTERS: readonly Jitter[] = ['none', 'full', 'equal', 'decorrelated'];

/** Options of {@link exponential}. */
export interface ExponentialOptions {
  /** First delay's ceiling (and decorrelated jitter's floor), an integer in [1, capMs]. */
  readonly baseMs: number;
  /** Largest delay, an integer in [baseMs, 2147483647]. */
  readonly capMs: number;
  /**
   * Growth per attempt, a finite number ≥ 1. Not allowed with `'decorrelated'` jitter.
   * @defaultValue 2
   */
  readonly factor?: number;
  /** How delays are randomised; see {@link Jitter}. */
  readonly jitter: Jitter;
}

/**
 * Exponentially growing delays up to a cap, with the chosen jitter.
 *
 * @example
 * ```ts
 * const strategy = exponential({ baseMs: 5, capMs: 500, jitter: 'decorrelated' });
 * ```
 * @throws InvalidArgumentError naming the option, e.g. `options.capMs`.
 */
export function exponential(options: ExponentialOptions): BackoffStrategy {
  if (options === undefined)
    throw new InvalidArgumentError('options', 'is required ({ baseMs, capMs, jitter })');
  const o = validateOptionsObject<ExponentialOptions>('options', options, [
    'baseMs',
    'capMs',
    'factor',
    'jitter',
  ]);
  const baseMs = validateInteger('options.baseMs', o.baseMs, { min: 1, max: MAX_TIMER_MS });
  const capMs = validateInteger('options.capMs', o.capMs, { min: baseMs, max: MAX_TIMER_MS });
  if (!JITTERS.includes(o.jitter as Jitter)) {
    throw new InvalidArgumentError(
      'options.jitter',
      `must be one of ${JITTERS.join(', ')} (got ${describeValue(o.jitter)})`,
    );
  }
  const jitter = o.jitter as Jitter;
  if (jitter === 'decorrelated' && o.factor !== undefined) {
    throw new InvalidArgumentError(
      'options.factor',
      'does not apply to decorrelated jitter (each delay grows up to 3× the previous one)',
    );
  }
  const factor = o.factor === undefined ? 2 : o.factor;
  if (typeof factor !== 'number' || !Number.isFinite(factor) || factor < 1) {
    throw new InvalidArgumentError(
      'options.factor',
      `must be a finite number ≥ 1 (got ${describeValue(factor)})`,
    );
  }

  return {
    start(random: RandomSource = Math.random): BackoffSequence {
      validateRandom('random', random);
      let attempt = 0;
      let previous = baseMs;
      return {
        nextDelay(): number {
          if (jitter === 'decorrelated') {
            previous = Math.min(capMs, randomBetween(random, baseMs, previous * 3));
            return previous;
          }
          // Once the ceiling reaches the cap, stop growing `attempt` so factor^n never overflows.
          const ceiling = Math.min(capMs, Math.floor(baseMs * factor ** attempt));
          if (ceiling < capMs) attempt += 1;
          if (jitter === 'none') return ceiling;
          if (jitter === 'full') return randomBetween(random, 0, ceiling);
          const half = Math.floor(ceiling / 2);
          return half + randomBetween(random, 0, ceiling - half);
        },
      };
    },
  };
}
