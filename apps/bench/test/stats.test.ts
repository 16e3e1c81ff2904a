import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyseContention, jainIndex, type LockRequest, median, percentile } from '../src/stats.ts';

describe('jainIndex', () => {
  it('is 1 for equal shares and 1/n when one worker gets everything', () => {
    expect(jainIndex([5, 5, 5, 5])).toBe(1);
    expect(jainIndex([8, 0, 0, 0])).toBe(0.25);
    expect(jainIndex([1, 3])).toBeCloseTo(16 / 20);
  });

  it('is NaN without shares or with all-zero shares, and rejects negative ones', () => {
    expect(jainIndex([])).toBeNaN();
    expect(jainIndex([0, 0])).toBeNaN();
    expect(() => jainIndex([1, -1])).toThrow(RangeError);
  });

  it('lies in [1/n, 1] and does not depend on scale or order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(10_000), { minLength: 1, maxLength: 64 }),
        fc.integer({ min: 1, max: 1000 }),
        (xs, k) => {
          fc.pre(xs.some((x) => x > 0));
          const j = jainIndex(xs);
          expect(j).toBeGreaterThanOrEqual(1 / xs.length - 1e-12);
          expect(j).toBeLessThanOrEqual(1 + 1e-12);
          expect(jainIndex(xs.map((x) => x * k))).toBeCloseTo(j, 10);
          expect(jainIndex([...xs].reverse())).toBeCloseTo(j, 10);
        },
      ),
    );
  });
});

describe('median and percentile', () => {
  it('take the middle and the nearest rank', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile(xs, 0)).toBe(1);
  });

  it('percentile is monotonic in p and stays within the values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { minLength: 1 }),
        fc.double({ min: 0, max: 99, noNaN: true }),
        (xs, p) => {
          const a = percentile(xs, p);
          expect(a).toBeLessThanOrEqual(percentile(xs, p + 1));
          expect(xs).toContain(a);
        },
      ),
    );
  });
});

describe('analyseContention', () => {
  const r = (
    worker: number,
    requestedAt: number,
    acquiredAt: number,
    releasedAt: number,
    intendedAt = requestedAt,
  ): LockRequest => ({ worker, intendedAt, requestedAt, acquiredAt, releasedAt });
  const all = { measureFrom: 0, stopAt: 10_000 };

  it('measures release-to-acquire only when the next holder was already waiting', () => {
    const a = analyseContention(
      [
        r(0, 0, 10, 100),
        r(1, 50, 130, 200), // waited since 50: hand-off of 30
        r(0, 300, 310, 400), // asked after the release at 200: not a hand-off
        r(1, 390, 405, 500), // hand-off of 5
      ],
      all,
    );
    expect(a.handoffsNs).toEqual([30, 5]);
    expect(a.overlaps).toBe(0);
  });

  it('counts an acquire before the previous release as an overlap, in any input order', () => {
    const a = analyseContention([r(1, 0, 50, 120), r(0, 0, 10, 100)], all);
    expect(a.overlaps).toBe(1);
    expect(a.handoffsNs).toEqual([]);
  });

  it('detects an overlap with any earlier holder, not only the one just before', () => {
    // 0 holds 10–500; 1 holds 20–30 (overlap with 0); 2 takes it at 40, while 0 still holds it.
    const a = analyseContention([r(0, 0, 10, 500), r(1, 0, 20, 30), r(2, 0, 40, 600)], all);
    expect(a.overlaps).toBe(2);
  });

  it('pairs over warm-up events before windowing: a warm-up grant does not merge two hand-offs', () => {
    const window = { measureFrom: 100, stopAt: 10_000 };
    const a = analyseContention(
      [
        r(0, 0, 10, 90), // warm-up holder
        r(1, 20, 92, 150), // granted in warm-up (92 < 100): pairs with the release at 90
        r(2, 30, 151, 300), // in the window: a hand-off of 1 from the release at 150, not 61 from 90
      ],
      window,
    );
    expect(a.handoffsNs).toEqual([1]);
  });

  it('waits run from the intended start; waits pending at the window end are counted, and those never granted censored, not dropped', () => {
    const window = { measureFrom: 100, stopAt: 1_000, stoppedAt: 2_000 };
    const a = analyseContention(
      [
        r(0, 150, 200, 250, 120), // asked late (150) for a start meant at 120: waited 80
        r(1, 50, 300, 400), // began in warm-up, granted in the window
        r(2, 600, 1_200, 1_300), // pending at the window end, granted in the drain: waited 600
        r(3, 700, Number.NaN, Number.NaN), // never granted: waited at least until stopped, 1,300
      ],
      window,
    );
    expect(a.waitsNs).toEqual([80, 600]);
    expect(a.censoredNs).toEqual([1_300]);
    expect(a.pendingAtEnd).toBe(2);
    expect(a.beganInWarmup).toBe(1);
    expect([...a.grantsByWorker.entries()].sort()).toEqual([
      [0, 1],
      [1, 1],
      [2, 0],
      [3, 0],
    ]);
  });
});
