import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../src/histogram.ts';
import { combineRounds } from '../src/scenarios/combine-rounds.ts';
import type { Measured } from '../src/scenarios/scenario.ts';

const ok = (p50Us: number, samples: number, reason: string | null = null): Measured => ({
  status: 'ok',
  reason,
  metrics: { p50Us, samples, workers: 1 },
  curve: [
    [50, p50Us],
    [99, p50Us * 2],
  ],
});

/** A round whose percentiles come from a histogram of `valuesUs`. */
const withHistogram = (valuesUs: number[]): Measured => {
  const h = new LatencyHistogram();
  for (const us of valuesUs) h.record(us * 1e3);
  const figures = (hs: Readonly<Record<string, LatencyHistogram>>) => ({
    metrics: { p50Us: hs.total!.summary().p50Us, p99Us: hs.total!.summary().p99Us },
    lowerBounds: [],
    curve: null,
  });
  return {
    status: 'ok',
    reason: null,
    metrics: { ...figures({ total: h }).metrics, opsPerSec: valuesUs.length },
    curve: null,
    histograms: { total: h },
    fromHistograms: figures,
  };
};

describe('combineRounds', () => {
  it('takes the median of rates and latencies, sums the totals and keeps every round', () => {
    const c = combineRounds([ok(10, 100), ok(30, 100), ok(12, 50)]);
    expect(c.status).toBe('ok');
    expect(c.metrics).toEqual({ p50Us: 12, samples: 250, workers: 1, rounds: 3 });
    expect(c.perRound?.p50Us).toEqual([10, 30, 12]);
    expect(c.curve).toEqual([
      [50, 12],
      [99, 24],
    ]);
  });

  it('takes percentiles from the merged histograms, so p50 and p99 describe one distribution', () => {
    // Round 1: all 100 µs. Round 2: all 100 µs except 10% at 10 ms. Per-round p99s: 100 µs and
    // 10 ms; their median would be 5 ms, a value no request had. The merge says 10 ms (5% slow).
    const slow = [...Array(90).fill(100), ...Array(10).fill(10_000)];
    const c = combineRounds([withHistogram(Array(100).fill(100)), withHistogram(slow)]);
    expect(c.metrics.p50Us).toBeCloseTo(100, -1);
    expect(c.metrics.p99Us).toBeGreaterThan(9_900);
    expect(c.perRound?.p99Us?.[0]).toBeCloseTo(100, -1);
    expect(c.metrics.opsPerSec).toBe(100);
    expect(JSON.parse(JSON.stringify(c))).not.toHaveProperty('histograms');
  });

  it('ignores failed rounds but keeps their reasons, and fails only when every round failed', () => {
    const failed: Measured = { status: 'failed', reason: 'server went away', metrics: {}, curve: null };
    const c = combineRounds([failed, ok(10, 1), ok(20, 1, '2 errors')]);
    expect(c.metrics.p50Us).toBe(15);
    expect(c.metrics.rounds).toBe(2);
    expect(c.reason).toBe('round 1: server went away; round 3: 2 errors');
    expect(combineRounds([failed, failed])).toEqual(failed);
  });

  it('returns a single round as it is, without its histograms', () => {
    const one = ok(5, 5);
    expect(combineRounds([one])).toEqual(one);
  });
});
