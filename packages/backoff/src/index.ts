/**
 * Retry strategies (constant, exponential with full/equal/decorrelated jitter) and a timed
 * spin-wait.
 *
 * @module @locksmith/backoff
 */
export type { BackoffSequence, BackoffStrategy, RandomSource } from './backoff-strategy.ts';
export type { ConstantOptions } from './constant.ts';
export { constant } from './constant.ts';
export type { ExponentialOptions, Jitter } from './exponential.ts';
export { exponential } from './exponential.ts';
export type { SpinAttempt, SpinOptions } from './spin-until.ts';
export { spinUntil } from './spin-until.ts';
