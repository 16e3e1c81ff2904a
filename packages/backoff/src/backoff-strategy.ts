/**
 * A source of uniform random numbers in [0, 1), like `Math.random`. Injected so that tests (and
 * simulations) can replay an exact sequence of delays.
 */
export type RandomSource = () => number;

/**
 * The delays of one wait, in order. Created by {@link BackoffStrategy.start} for each wait, so state
 * a strategy needs between delays (the attempt count, decorrelated jitter's previous delay) never
 * leaks from one wait into another.
 */
export interface BackoffSequence {
  /**
   * The delay before the next attempt, in whole milliseconds (≥ 0).
   * @throws InvalidArgumentError naming `random` when the random source returns a value outside [0, 1).
   */
  nextDelay(): number;
}

/**
 * How long to wait between attempts. A strategy is an immutable description (safe to share between
 * waits and clients); each wait calls {@link BackoffStrategy.start} for its own sequence.
 *
 * @example
 * ```ts
 * const delays = exponential({ baseMs: 10, capMs: 1_000, jitter: 'full' }).start();
 * delays.nextDelay(); // 0..10
 * delays.nextDelay(); // 0..20
 * ```
 */
export interface BackoffStrategy {
  /**
   * Starts the delays of one wait.
   * @param random - uniform source in [0, 1). @defaultValue `Math.random`
   */
  start(random?: RandomSource): BackoffSequence;
}
