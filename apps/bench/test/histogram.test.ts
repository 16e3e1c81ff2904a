import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LatencyHistogram, round } from '../src/histogram.ts';
import { percentile } from '../src/stats.ts';

describe('LatencyHistogram', () => {
  it('reports percentiles in µs within the 3-digit precision of HDR', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 10_000; i++) h.record(i * 1_000); // 1 µs … 10 ms
    const s = h.summary();
    expect(s.count).toBe(10_000);
    expect(s.p50Us).toBeCloseTo(5_000, -1);
    expect(Math.abs(s.p99Us - 9_900) / 9_900).toBeLessThan(0.001);
    expect(Math.abs(s.p999Us - 9_990) / 9_990).toBeLessThan(0.001);
    expect(Math.abs(s.maxUs - 10_000) / 10_000).toBeLessThan(0.001);
    expect(s.curve.map(([p]) => p)).toEqual([50, 75, 90, 95, 99, 99.9, 99.99, 100]);
  });

  it('agrees with exact percentiles of random samples to 0.1%', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1_000, max: 1e9 }), { minLength: 1, maxLength: 500 }), (ns) => {
        const h = new LatencyHistogram();
        for (const v of ns) h.record(v);
        for (const p of [50, 99, 100]) {
          const exact = percentile(ns, p);
          expect(Math.abs(h.percentileNs(p) - exact) / exact).toBeLessThanOrEqual(0.001);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('merges encoded histograms from several workers into the same distribution', () => {
    const parts = [new LatencyHistogram(), new LatencyHistogram()];
    const all = new LatencyHistogram();
    for (let i = 0; i < 2_000; i++) {
      const v = 1_000 + ((i * 7919) % 50_000);
      parts[i % 2]!.record(v);
      all.record(v);
    }
    const merged = LatencyHistogram.merge(parts.map((p) => p.encode())).summary();
    const direct = all.summary();
    expect(merged.count).toBe(direct.count);
    // The encoding keeps buckets, not exact extremes: equal within HDR's 0.1%.
    merged.curve.forEach(([p, us], i) => {
      expect(p).toBe(direct.curve[i]![0]);
      expect(Math.abs(us - direct.curve[i]![1]) / direct.curve[i]![1]).toBeLessThanOrEqual(0.001);
    });
  });

  it('is empty-safe and rejects durations that cannot be', () => {
    expect(new LatencyHistogram().summary().p99Us).toBe(0);
    expect(() => new LatencyHistogram().record(-1)).toThrow(RangeError);
    expect(() => new LatencyHistogram().record(Number.NaN)).toThrow(RangeError);
    expect(round(1.23456, 2)).toBe(1.23);
  });
});
