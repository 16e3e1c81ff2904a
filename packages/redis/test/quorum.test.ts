import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quorum, redlockToken, validityMs, voteOutcome } from '../src/redlock/quorum.ts';
import { roundTimeoutMs } from '../src/redlock/redlock-protocol.ts';

describe('quorum', () => {
  it('is a strict majority', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(quorum)).toEqual([1, 2, 2, 3, 3, 4, 4]);
  });

  it('property: two quorums of the same n always share an instance', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1000 }), (n) => 2 * quorum(n) > n));
  });
});

describe('validityMs', () => {
  it('subtracts the elapsed time and the drift margin', () => {
    expect(validityMs(10_000, 25, 0.01, 2)).toBe(10_000 - 25 - 100 - 2);
    expect(validityMs(100, 99, 0.01, 2)).toBeLessThan(0);
  });

  it('property: never more than ttl − elapsed, and decreasing in elapsed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e7 }), fc.nat(1e6), fc.nat(1e6), (ttl, a, b) => {
        expect(validityMs(ttl, a, 0.01, 2)).toBeLessThanOrEqual(ttl - a);
        if (a <= b) expect(validityMs(ttl, a, 0.01, 2)).toBeGreaterThanOrEqual(validityMs(ttl, b, 0.01, 2));
      }),
    );
  });
});

describe('voteOutcome', () => {
  it('decides 5-instance votes', () => {
    expect(voteOutcome({ yes: 3, no: 0, failed: 0, pending: 2 }, 5)).toBe('won');
    expect(voteOutcome({ yes: 2, no: 0, failed: 0, pending: 3 }, 5)).toBe('pending');
    expect(voteOutcome({ yes: 2, no: 3, failed: 0, pending: 0 }, 5)).toBe('lost');
    expect(voteOutcome({ yes: 2, no: 1, failed: 2, pending: 0 }, 5)).toBe('unreachable');
    expect(voteOutcome({ yes: 0, no: 0, failed: 2, pending: 3 }, 5)).toBe('pending');
    expect(voteOutcome({ yes: 0, no: 3, failed: 2, pending: 0 }, 5)).toBe('lost');
  });

  it('property: consistent with counting (won iff a majority said yes; lost iff impossible)', () => {
    const split = fc
      .tuple(
        fc.integer({ min: 1, max: 15 }),
        fc.array(fc.constantFrom('yes', 'no', 'failed', 'pending'), { maxLength: 15 }),
      )
      .map(([n, states]) => {
        const s = states.slice(0, n);
        while (s.length < n) s.push('pending');
        const count = (k: string) => s.filter((x) => x === k).length;
        return {
          n,
          tally: { yes: count('yes'), no: count('no'), failed: count('failed'), pending: count('pending') },
        };
      });
    fc.assert(
      fc.property(split, ({ n, tally }) => {
        const outcome = voteOutcome(tally, n);
        const need = quorum(n);
        expect(outcome === 'won').toBe(tally.yes >= need);
        if (outcome === 'lost') expect(tally.yes + tally.pending + tally.failed).toBeLessThan(need);
        if (outcome === 'pending') expect(tally.pending).toBeGreaterThan(0);
        if (tally.pending === 0) expect(outcome).not.toBe('pending');
      }),
    );
  });
});

describe('redlockToken and round timeouts', () => {
  it('takes the largest per-instance token', () => {
    expect(redlockToken([5n, 12n, 7n])).toBe(12n);
    expect(redlockToken([])).toBe(0n);
  });

  it('waits a tenth of the TTL for slow instances, within [20 ms, 1 s]', () => {
    expect(roundTimeoutMs(30_000)).toBe(1_000);
    expect(roundTimeoutMs(1_000)).toBe(100);
    expect(roundTimeoutMs(50)).toBe(20);
  });
});
