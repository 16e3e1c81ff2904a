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

/**
 * One request for the lock seen by a worker, on the shared monotonic clock (ns since the run's
 * epoch). Every request is recorded, including those that began in the warm-up and those never
 * granted.
 */
export interface LockRequest {
  readonly worker: number;
  /**
   * When the worker meant to ask: its previous release done plus its think time (or the window's
   * start). Waits are measured from here, so a late timer or a slow loop counts against the lock
   * instead of silently thinning the requests (coordinated omission).
   */
  readonly intendedAt: number;
  /** When `acquire` was actually called. */
  readonly requestedAt: number;
  /** When `acquire` resolved; NaN when it never did (still pending when the run stopped it). */
  readonly acquiredAt: number;
  /** When the worker called `release`; NaN when never granted. */
  readonly releasedAt: number;
}

/** The measured part of a run, ns since the epoch: `[measureFrom, stopAt)`. */
export interface MeasureWindow {
  readonly measureFrom: number;
  readonly stopAt: number;
  /**
   * When the run stopped the waits still pending (the end of the drain after `stopAt`); a request
   * never granted waited at least until here. Defaults to `stopAt`.
   */
  readonly stoppedAt?: number;
}

/** What the requests of one key say about hand-offs, waits and exclusion. */
export interface ContentionAnalysis {
  /** Release-to-next-acquire gaps (ns) of grants in the window whose holder was already waiting. */
  readonly handoffsNs: number[];
  /**
   * Grants before the latest release of every earlier grant (the running maximum, so an overlap
   * with any earlier holder counts, not only with the one just before). Over all events.
   */
  readonly overlaps: number;
  /** Waits (ns, from the intended start) of requests that began in the window and were granted, in it or in the drain after it. */
  readonly waitsNs: number[];
  /** Requests that began in the window and were never granted: the time waited until the run stopped them (ns), a lower bound. */
  readonly censoredNs: number[];
  /** Requests that began in the window and were still waiting at its end (granted later, or never). */
  readonly pendingAtEnd: number;
  /** Grants in the window to requests that began in the warm-up (in throughput, not in waits). */
  readonly beganInWarmup: number;
  /** Grants in the window, per worker. */
  readonly grantsByWorker: ReadonlyMap<number, number>;
}

/**
 * Pairs every grant with the releases before it over **all** events (warm-up and drain too), and
 * only then applies the window: a warm-up grant landing mid-window must not merge two hand-offs
 * into one, nor hide an overlap. A grant counts as a hand-off when its request was made before
 * the latest release so far; the gap is measured from that release.
 */
export function analyseContention(
  requests: readonly LockRequest[],
  window: MeasureWindow,
): ContentionAnalysis {
  const inWindow = (t: number) => t >= window.measureFrom && t < window.stopAt;
  const granted = requests.filter((r) => Number.isFinite(r.acquiredAt));
  granted.sort((a, b) => a.acquiredAt - b.acquiredAt);
  const handoffsNs: number[] = [];
  const grantsByWorker = new Map<number, number>();
  for (const r of requests) grantsByWorker.set(r.worker, 0);
  let overlaps = 0;
  let latestRelease = Number.NEGATIVE_INFINITY;
  let beganInWarmup = 0;
  for (const g of granted) {
    if (g.acquiredAt < latestRelease) overlaps++;
    else if (g.requestedAt <= latestRelease && inWindow(g.acquiredAt))
      handoffsNs.push(g.acquiredAt - latestRelease);
    if (Number.isFinite(g.releasedAt)) latestRelease = Math.max(latestRelease, g.releasedAt);
    if (inWindow(g.acquiredAt)) {
      grantsByWorker.set(g.worker, (grantsByWorker.get(g.worker) ?? 0) + 1);
      if (g.intendedAt < window.measureFrom) beganInWarmup++;
    }
  }
  const waitsNs: number[] = [];
  const censoredNs: number[] = [];
  let pendingAtEnd = 0;
  const stoppedAt = window.stoppedAt ?? window.stopAt;
  for (const r of requests) {
    if (!inWindow(r.intendedAt)) continue;
    const granted = Number.isFinite(r.acquiredAt);
    if (!granted || r.acquiredAt >= window.stopAt) pendingAtEnd++;
    if (granted) waitsNs.push(Math.max(0, r.acquiredAt - r.intendedAt));
    else censoredNs.push(Math.max(0, stoppedAt - r.intendedAt));
  }
  return { handoffsNs, overlaps, waitsNs, censoredNs, pendingAtEnd, beganInWarmup, grantsByWorker };
}
