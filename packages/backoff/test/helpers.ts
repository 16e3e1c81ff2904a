import fc from 'fast-check';

/** A random source that replays `values` in a loop. */
export function replay(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

/** Uniform doubles in [0, 1), as `Math.random` returns. */
export const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
