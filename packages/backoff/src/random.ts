import { InvalidArgumentError } from '@locksmith/core';
import { describeValue } from '@locksmith/core/protocol';
import type { RandomSource } from './backoff-strategy.ts';

/** Checks an injected random source before it is used. @throws InvalidArgumentError naming `argument`. */
export function validateRandom(argument: string, random: unknown): RandomSource {
  if (typeof random !== 'function') {
    throw new InvalidArgumentError(
      argument,
      `must be a function returning a number in [0, 1) (got ${typeof random})`,
    );
  }
  return random as RandomSource;
}

/**
 * A uniform integer in [low, high] (both inclusive) drawn from `random`. A source that breaks its
 * contract is reported rather than clamped: silently clamping would hide a broken simulation.
 * @throws InvalidArgumentError naming `random` when it returns a value outside [0, 1).
 */
export function randomBetween(random: RandomSource, low: number, high: number): number {
  const r = random();
  if (typeof r !== 'number' || !(r >= 0 && r < 1)) {
    throw new InvalidArgumentError('random', `must return a number in [0, 1) (got ${describeValue(r)})`);
  }
  return Math.min(high, low + Math.floor(r * (high - low + 1)));
}
