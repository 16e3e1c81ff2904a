import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Acquisition, analyseHandoffs, jainIndex, median, percentile } from '../src/stats.ts';

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

describe('analyseHandoffs', () => {
  const a = (worker: number, requestedAt: number, acquiredAt: number, releasedAt: number): Acquisition => ({
    worker,
    requestedAt,
    acquiredAt,
    releasedAt,
  });

  it('measures release-to-acquire only when the next holder was already waiting', () => {
    const r = analyseHandoffs([
      a(0, 0, 10, 100),
      a(1, 50, 130, 200), // waited since 50: hand-off of 30
      a(0, 300, 310, 400), // asked after the release at 200: not a hand-off
      a(1, 390, 405, 500), // hand-off of 5
    ]);
    expect(r.handoffsNs).toEqual([30, 5]);
    expect(r.overlaps).toBe(0);
  });

  it('counts an acquire before the previous release as an overlap, in any input order', () => {
    const r = analyseHandoffs([a(1, 0, 50, 120), a(0, 0, 10, 100)]);
    expect(r.overlaps).toBe(1);
    expect(r.handoffsNs).toEqual([]);
  });
});
