import { describe, expect, it } from 'vitest';
import { compareResults, formatComparison } from '../src/report/compare.ts';
import type { BenchResults, Entry } from '../src/results/schema.ts';
import { fixture } from './fixture.ts';

/** The fixture with one figure of one entry changed. */
function withMetric(
  r: BenchResults,
  mechanism: string,
  scenario: string,
  metric: string,
  value: number,
): BenchResults {
  return {
    ...r,
    entries: r.entries.map(
      (e): Entry =>
        e.mechanism === mechanism && e.scenario === scenario
          ? { ...e, metrics: { ...e.metrics, [metric]: value } }
          : e,
    ),
  };
}

describe('compareResults', () => {
  it('finds nothing changed between a run and itself', () => {
    const c = compareResults(fixture(), fixture());
    expect(c.figures.length).toBeGreaterThan(50);
    expect(c.figures.every((f) => f.verdict === 'same' && (f.change === 0 || f.before === 0))).toBe(true);
    expect(c.caveats).toEqual([]);
  });

  it('judges each change by the direction of its figure', () => {
    const a = fixture();
    let b = withMetric(a, 'redis', 'uncontended', 'p50Us', 55); // was 110: lower is better
    b = withMetric(b, 'redis', 'many-keys', 'opsPerSec', 1); // much lower: worse
    b = withMetric(b, 'memory', 'fairness', 'jain', 0.999 * 1.01); // within 5%: same
    const c = compareResults(a, b);
    const get = (m: string, s: string, metric: string) =>
      c.figures.find((f) => f.mechanism === m && f.scenario === s && f.metric === metric);
    expect(get('redis', 'uncontended', 'p50Us')).toMatchObject({
      before: 110,
      after: 55,
      change: -0.5,
      verdict: 'better',
    });
    expect(get('redis', 'many-keys', 'opsPerSec')?.verdict).toBe('worse');
    expect(get('memory', 'fairness', 'jain')?.verdict).toBe('same');
    // Parameters echoed as figures are not compared.
    expect(c.figures.some((f) => f.metric === 'workers' || f.metric === 'ttlMs')).toBe(false);
    const text = formatComparison(c, a, b);
    expect(text).toContain('redis');
    expect(text).toContain('-50.0%');
    expect(text).toMatch(/1 better, 1 worse/);
  });

  it('with rounds on both sides, calls a change real only when the rounds do not overlap', () => {
    const a = fixture();
    const withRounds = (r: BenchResults, p50: number, rounds: number[]): BenchResults => ({
      ...r,
      entries: r.entries.map((e) =>
        e.mechanism === 'redis' && e.scenario === 'uncontended'
          ? { ...e, metrics: { ...e.metrics, p50Us: p50 }, perRound: { p50Us: rounds } }
          : e,
      ),
    });
    const before = withRounds(a, 110, [100, 105, 110, 115, 130]);
    // 12% slower, but inside the spread of the rounds: not a change.
    const noisy = compareResults(before, withRounds(a, 123, [108, 118, 123, 126, 135]));
    const f = noisy.figures.find((x) => x.mechanism === 'redis' && x.metric === 'p50Us')!;
    expect(f).toMatchObject({ verdict: 'same', basis: 'spread' });
    // 7% faster, and every round faster than every round before: real.
    const real = compareResults(before, withRounds(a, 93, [90, 91, 93, 95, 98]));
    expect(real.figures.find((x) => x.mechanism === 'redis' && x.metric === 'p50Us')).toMatchObject({
      verdict: 'better',
      basis: 'spread',
    });
  });

  it('lists entries only one run has and says when the runs are not alike', () => {
    const a = fixture();
    const b: BenchResults = {
      ...a,
      id: 'other',
      mode: 'quick',
      machine: { ...a.machine, cpus: 8 },
      entries: a.entries.filter((e) => e.mechanism !== 'redis-semaphore'),
    };
    const c = compareResults(a, b);
    expect(c.onlyBefore).toContain('redis-semaphore/uncontended');
    expect(c.onlyAfter).toEqual([]);
    expect(c.caveats.join('\n')).toMatch(/different machines/);
    expect(c.caveats.join('\n')).toMatch(/different modes/);
  });
});
