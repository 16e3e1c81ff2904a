/**
 * The spread of a figure over the rounds of a run, and what it allows us to say: a difference
 * is called real only when the rounds of the two sides do not overlap.
 */

/** `[min, max]` of the finite values; null when there are fewer than two. */
export function rangeOf(values: readonly (number | null)[]): readonly [number, number] | null {
  const v = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (v.length < 2) return null;
  return [Math.min(...v), Math.max(...v)];
}

/**
 * True when the two sets of rounds are separated: every round of one side is below every round
 * of the other. With 5 rounds a side and no real difference this happens by chance with
 * probability 2 / C(10, 5) ≈ 0.8% (the most extreme rank order of a Mann–Whitney test).
 * Fewer than two rounds on a side: never separated (the spread is unknown).
 */
export function separated(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  const ra = rangeOf(a);
  const rb = rangeOf(b);
  if (ra === null || rb === null) return false;
  return ra[1] < rb[0] || rb[1] < ra[0];
}

/** A small seeded PRNG (mulberry32): the same results file always gives the same intervals. */
export function seededRandom(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let x = Math.imul(t ^ (t >>> 15), 1 | t);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function medianOf(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * 95% percentile-bootstrap interval of `median(num) / median(den)`, resampling the rounds of each
 * side with replacement. Null when either side has fewer than two rounds or a zero median.
 */
export function bootstrapRatio(
  num: readonly (number | null)[],
  den: readonly (number | null)[],
  resamples = 2_000,
  seed = 1,
): readonly [number, number] | null {
  const n = num.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  const d = den.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (n.length < 2 || d.length < 2) return null;
  const random = seededRandom(seed);
  const draw = (v: number[]) => v.map(() => v[Math.floor(random() * v.length)]!);
  const ratios: number[] = [];
  for (let i = 0; i < resamples; i++) {
    const m = medianOf(draw(d));
    if (m !== 0) ratios.push(medianOf(draw(n)) / m);
  }
  if (ratios.length === 0) return null;
  ratios.sort((a, b) => a - b);
  const at = (q: number) => ratios[Math.min(ratios.length - 1, Math.floor(q * ratios.length))]!;
  return [at(0.025), at(0.975)];
}
