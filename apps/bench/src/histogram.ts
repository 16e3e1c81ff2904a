import {
  build,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  type Histogram,
} from 'hdr-histogram-js';

/** Percentiles reported for every latency distribution (the curve charts draw). */
export const CURVE_PERCENTILES = [50, 75, 90, 95, 99, 99.9, 99.99, 100] as const;

/** A latency distribution summarised in microseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly meanUs: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly p999Us: number;
  readonly maxUs: number;
  /** `[percentile, microseconds]` pairs at {@link CURVE_PERCENTILES}. */
  readonly curve: readonly (readonly [number, number])[];
}

/**
 * An HDR histogram of durations recorded in nanoseconds (3 significant digits, so a recorded value
 * is off by at most 0.1%), mergeable across worker processes through its compressed encoding.
 */
export class LatencyHistogram {
  readonly #h: Histogram;

  constructor(h?: Histogram) {
    this.#h =
      h ??
      build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600e9, numberOfSignificantValueDigits: 3 });
  }

  /** Records one duration; negative or non-finite input is a harness bug and throws. */
  record(ns: number): void {
    if (!Number.isFinite(ns) || ns < 0)
      throw new RangeError(`duration must be a finite non-negative number of ns (got ${ns})`);
    this.#h.recordValue(Math.max(1, Math.round(ns)));
  }

  get count(): number {
    return this.#h.totalCount;
  }

  /** Smallest recorded value in ns; 0 when empty. */
  get minNs(): number {
    return this.count === 0 ? 0 : this.#h.minNonZeroValue;
  }

  /** Adds every value of `other` to this histogram. */
  add(other: LatencyHistogram): void {
    this.#h.add(other.#h);
  }

  /** Value at percentile `p` (0–100), in nanoseconds; 0 when empty. */
  percentileNs(p: number): number {
    if (this.count === 0) return 0;
    return p >= 100 ? this.#h.maxValue : this.#h.getValueAtPercentile(p);
  }

  encode(): string {
    return encodeIntoCompressedBase64(this.#h);
  }

  static decode(encoded: string): LatencyHistogram {
    return new LatencyHistogram(decodeFromCompressedBase64(encoded));
  }

  /** Merges encoded histograms (one per worker) into one. */
  static merge(encoded: readonly string[]): LatencyHistogram {
    const out = new LatencyHistogram();
    for (const e of encoded) out.add(LatencyHistogram.decode(e));
    return out;
  }

  summary(): LatencySummary {
    const us = (ns: number) => round(ns / 1e3, 2);
    return {
      count: this.count,
      meanUs: us(this.count === 0 ? 0 : this.#h.mean),
      p50Us: us(this.percentileNs(50)),
      p99Us: us(this.percentileNs(99)),
      p999Us: us(this.percentileNs(99.9)),
      maxUs: us(this.percentileNs(100)),
      curve: CURVE_PERCENTILES.map((p) => [p, us(this.percentileNs(p))] as const),
    };
  }
}

/** Rounds to `digits` decimals (reports stay readable; the histogram is already 3-digit precise). */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * Percentile `p` of a distribution where some values are only lower bounds (waits still pending
 * when the window ended, recorded as the time waited so far). `all` holds every value, the
 * bounds included; `censored` the bounds alone. The result is itself only a lower bound
 * (`lowerBound: true`, shown as "> X") when some bound is at or below it: that request's true
 * wait may be longer and push the percentile up.
 */
export function censoredPercentileNs(
  all: LatencyHistogram,
  censored: LatencyHistogram,
  p: number,
): { readonly ns: number; readonly lowerBound: boolean } {
  const ns = all.percentileNs(p);
  return { ns, lowerBound: censored.count > 0 && censored.minNs <= ns };
}
