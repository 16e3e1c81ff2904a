/**
 * Jain's fairness index of per-worker shares: `(Σx)² / (n·Σx²)`. 1 when every worker got the same
 * share, `1/n` when one worker got everything. Empty or all-zero input has no meaningful index: NaN.
 */
export function jainIndex(shares: readonly number[]): number {
  if (shares.length === 0) return Number.NaN;
  let sum = 0;
  let squares = 0;
  for (const x of shares) {
    if (!Number.isFinite(x) || x < 0)
      throw new RangeError(`shares must be finite and non-negative (got ${x})`);
    sum += x;
    squares += x * x;
  }
  return squares === 0 ? Number.NaN : (sum * sum) / (shares.length * squares);
}

/** Median of the values (mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile (0–100) of unsorted values; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))]!;
}

/** One acquisition seen by a worker, on the shared monotonic clock (ns since the run's epoch). */
export interface Acquisition {
  readonly worker: number;
  /** When `acquire` was called. */
  readonly requestedAt: number;
  /** When `acquire` resolved: the worker holds the lock from here. */
  readonly acquiredAt: number;
  /** When the worker called `release`. */
  readonly releasedAt: number;
}

/** What a sequence of acquisitions of one key says about hand-offs. */
export interface HandoffAnalysis {
  /** Release-to-next-acquire gaps (ns) where the next holder was already waiting at the release. */
  readonly handoffsNs: number[];
  /** Pairs where the next holder got the lock before the previous one released: an exclusion failure. */
  readonly overlaps: number;
}

/**
 * Hand-off latency of one key: for each holder and the next one (by acquire time), if the next one
 * had asked before the release, the gap from the release call to the next acquire is a hand-off.
 * An acquire before the previous release is counted as an overlap instead.
 */
export function analyseHandoffs(acquisitions: readonly Acquisition[]): HandoffAnalysis {
  const s = [...acquisitions].sort((a, b) => a.acquiredAt - b.acquiredAt);
  const handoffsNs: number[] = [];
  let overlaps = 0;
  for (let i = 1; i < s.length; i++) {
    const prev = s[i - 1]!;
    const next = s[i]!;
    if (next.acquiredAt < prev.releasedAt) overlaps++;
    else if (next.requestedAt <= prev.releasedAt) handoffsNs.push(next.acquiredAt - prev.releasedAt);
  }
  return { handoffsNs, overlaps };
}
