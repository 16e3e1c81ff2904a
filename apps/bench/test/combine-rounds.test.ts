import { describe, expect, it } from 'vitest';
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

describe('combineRounds', () => {
  it('takes the median of rates and latencies and sums the totals', () => {
    const c = combineRounds([ok(10, 100), ok(30, 100), ok(12, 50)]);
    expect(c.status).toBe('ok');
    expect(c.metrics).toEqual({ p50Us: 12, samples: 250, workers: 1, rounds: 3 });
    expect(c.curve).toEqual([
      [50, 12],
      [99, 24],
    ]);
  });

  it('ignores failed rounds but keeps their reasons, and fails only when every round failed', () => {
    const failed: Measured = { status: 'failed', reason: 'server went away', metrics: {}, curve: null };
    const c = combineRounds([failed, ok(10, 1), ok(20, 1, '2 errors')]);
    expect(c.metrics.p50Us).toBe(15);
    expect(c.metrics.rounds).toBe(2);
    expect(c.reason).toBe('round 1: server went away; round 3: 2 errors');
    expect(combineRounds([failed, failed])).toBe(failed);
  });

  it('returns a single round as it is', () => {
    const one = ok(5, 5);
    expect(combineRounds([one])).toBe(one);
  });
});
