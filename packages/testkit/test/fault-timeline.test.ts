import { describe, expect, it } from 'vitest';
import { judgeLease, leasesOf, type TimelineEvent } from '../src/faults/fault-timeline.ts';

const acquired = (lane: number, iteration: number, t: number, token = String(t)): TimelineEvent => ({
  type: 'acquired',
  lane,
  iteration,
  t,
  token,
});
const releasing = (lane: number, iteration: number, t: number, lastHeldAt: number): TimelineEvent => ({
  type: 'releasing',
  lane,
  iteration,
  t,
  lastHeldAt,
});
const lost = (lane: number, iteration: number, t: number, sinceLookMs = 2): TimelineEvent => ({
  type: 'lost',
  lane,
  iteration,
  t,
  reason: 'expired',
  sinceLookMs,
});

describe('leasesOf', () => {
  it('a normal hand-over has no successor: the next lease starts after the release', () => {
    const leases = leasesOf([
      acquired(0, 0, 10),
      releasing(0, 0, 20, 19),
      acquired(1, 0, 21),
      releasing(1, 0, 30, 29),
    ]);
    expect(leases.map((l) => l.verdict)).toEqual([undefined, undefined]);
  });

  it('judges a lease another worker acquired while it was held', () => {
    const signalled = leasesOf([
      acquired(0, 0, 10),
      lost(0, 0, 40),
      acquired(1, 0, 50),
      releasing(0, 0, 60, 39),
    ]);
    expect(signalled[0]).toMatchObject({ successorAt: 50, lostAt: 40, verdict: 'signalled' });
    // Stopped from 30 to 69: the signal aborted at the first look after it, nothing read "held" after 50.
    const paused = leasesOf([
      acquired(0, 0, 10),
      acquired(1, 0, 50),
      { type: 'worker-paused', lane: 0, t: 30, until: 69 },
      lost(0, 0, 70),
      releasing(0, 0, 71, 29),
    ]);
    expect(paused[0]?.verdict).toBe('lost-at-first-look');
    // Not stopped, but its 5 ms reads lapsed for 40 ms (not scheduled): the same.
    const starved = leasesOf([
      acquired(0, 0, 10),
      acquired(1, 0, 50),
      lost(0, 0, 70, 40),
      releasing(0, 0, 71, 29),
    ]);
    expect(starved[0]?.verdict).toBe('lost-at-first-look');
    // Running and reading every few ms, yet told 20 ms after worker 1 had the lock: silent.
    const late = leasesOf([
      acquired(0, 0, 10),
      acquired(1, 0, 50),
      lost(0, 0, 70, 3),
      releasing(0, 0, 71, 49),
    ]);
    expect(late[0]?.verdict).toBe('silent');
    // A read at 55 said "held" although worker 1 had the lock since 50.
    const silent = leasesOf([
      acquired(0, 0, 10),
      acquired(1, 0, 50),
      lost(0, 0, 70, 40),
      releasing(0, 0, 71, 55),
    ]);
    expect(silent[0]?.verdict).toBe('silent');
    // Never signalled at all.
    const never = leasesOf([acquired(0, 0, 10), acquired(1, 0, 50), releasing(0, 0, 71, 70)]);
    expect(never[0]?.verdict).toBe('silent');
  });

  it('a holder killed before its successor is judged killed; a worker exit ends its lease', () => {
    const leases = leasesOf([
      acquired(0, 0, 10),
      { type: 'worker-exit', lane: 0, t: 20, code: null, signal: 'SIGKILL', killed: true },
      acquired(1, 0, 1_000),
      releasing(1, 0, 1_010, 1_009),
    ]);
    expect(leases[0]).toMatchObject({ killedAt: 20 });
    // The successor came after the holder died: no overlap in the holder's lifetime, nothing to judge.
    expect(leases[0]?.verdict).toBeUndefined();
    expect(judgeLease({ ...leases[0]!, killedAt: 20 }, 15)).toBe('killed');
  });
});
