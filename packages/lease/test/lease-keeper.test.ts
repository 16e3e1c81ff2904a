import type { LockLostError } from '@locksmith/core';
import { InvalidArgumentError } from '@locksmith/core';
import type { ExtendRequest, Hold, KeptLease } from '@locksmith/core/protocol';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { leaseKeeper } from '../src/index.ts';

// The keeper's own scheduling logic, driven by fake timers; backends test it against real servers.
const clock = { now: () => Date.now() };

interface TestLease extends KeptLease {
  lost?: LockLostError;
}

function lease(key: string, ttlMs: number, autoRenew = true, sentAt = clock.now()): TestLease {
  const l: TestLease = {
    hold: { key, token: 1n, sentAt, ttlMs },
    autoRenew,
    lose(error) {
      l.lost = error;
    },
  };
  return l;
}

function keeperWith(extend: (r: readonly ExtendRequest<Hold>[]) => Promise<boolean[]>) {
  const calls: string[][] = [];
  const keeper = leaseKeeper()({
    clock,
    backend: 'test',
    extend: (requests) => {
      calls.push(requests.map((r) => r.hold.key));
      return extend(requests);
    },
  });
  return { keeper, calls };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('leaseKeeper', () => {
  it('renews at a third of the TTL and keeps the lease well past it', async () => {
    const { keeper, calls } = keeperWith(async (r) => r.map(() => true));
    const l = lease('a', 300);
    keeper.keep(l);
    await vi.advanceTimersByTimeAsync(99);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(l.lost).toBeUndefined();
    expect(calls.length).toBeGreaterThanOrEqual(30);
    keeper.close();
  });

  it('sends leases that fall due together as one batch', async () => {
    const { keeper, calls } = keeperWith(async (r) => r.map(() => true));
    for (let i = 0; i < 1_000; i++) keeper.keep(lease(`k${i}`, 3_000, true, clock.now() + (i % 100)));
    await vi.advanceTimersByTimeAsync(1_200);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(1_000);
    keeper.close();
  });

  it('loses a lease at once when the backend says it is gone', async () => {
    const { keeper } = keeperWith(async (r) => r.map((x) => x.hold.key !== 'gone'));
    const kept = lease('kept', 300);
    const gone = lease('gone', 300);
    keeper.keep(kept);
    keeper.keep(gone);
    await vi.advanceTimersByTimeAsync(101);
    expect(gone.lost?.reason).toBe('taken');
    expect(kept.lost).toBeUndefined();
    keeper.close();
  });

  it('retries an unreachable backend and loses the lease at its deadline, not before', async () => {
    const failure = new Error('connection refused');
    const { keeper, calls } = keeperWith(async () => {
      throw failure;
    });
    const l = lease('a', 1_000);
    keeper.keep(l);
    // deadline = ttl - (1% of ttl + 2 ms) = 988 ms after it was sent
    await vi.advanceTimersByTimeAsync(987);
    expect(l.lost).toBeUndefined();
    expect(calls.length).toBeGreaterThan(3);
    await vi.advanceTimersByTimeAsync(2);
    expect(l.lost?.reason).toBe('unreachable');
    expect(l.lost?.cause).toBe(failure);
    keeper.close();
  });

  it('measures the deadline from when the acquire request was sent', async () => {
    const { keeper } = keeperWith(async (r) => r.map(() => true));
    const l = lease('a', 1_000, false, clock.now() - 600);
    keeper.keep(l);
    expect(keeper.deadlineOf(l)).toBe(clock.now() - 600 + 1_000 - 12);
    await vi.advanceTimersByTimeAsync(388);
    expect(l.lost?.reason).toBe('expired');
  });

  it('never renews without autoRenew, and loses the lease at its deadline', async () => {
    const { keeper, calls } = keeperWith(async (r) => r.map(() => true));
    const l = lease('a', 200, false);
    keeper.keep(l);
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toHaveLength(0);
    expect(l.lost?.reason).toBe('expired');
  });

  it('extends on demand with a new TTL, and reports a refused extend as lost', async () => {
    let answer = true;
    const { keeper } = keeperWith(async (r) => r.map(() => answer));
    const l = lease('a', 200, false);
    keeper.keep(l);
    await keeper.extend(l, 10_000);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(l.lost).toBeUndefined();
    answer = false;
    await expect(keeper.extend(l, 10_000)).rejects.toMatchObject({ code: 'LOCK_LOST', reason: 'taken' });
    expect(l.lost?.reason).toBe('taken');
  });

  it('stops renewing a forgotten lease', async () => {
    const { keeper, calls } = keeperWith(async (r) => r.map(() => true));
    const l = lease('a', 300);
    keeper.keep(l);
    keeper.forget(l);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(0);
    expect(l.lost).toBeUndefined();
  });

  it('rejects bad timing options, naming the option', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('renewFraction', 'driftFactor', 'driftMs'),
        fc.oneof(
          fc.constant(-1),
          fc.constant(Number.NaN),
          fc.constant(5),
          fc.constant('x'),
          fc.constant(1.5e6),
        ),
        (name, value) => {
          if (name === 'driftMs' && value === 5) return;
          try {
            leaseKeeper({ [name]: value });
            expect.unreachable();
          } catch (error) {
            expect(InvalidArgumentError.isInstance(error)).toBe(true);
            expect((error as InvalidArgumentError).argument).toBe(`options.${name}`);
          }
        },
      ),
    );
    expect(() => leaseKeeper({ every: 1 } as never)).toThrow(/options.every is not a known option/);
  });
});

describe('leaseKeeper deadlines never outlast the server', () => {
  it('extend to a shorter TTL shortens the deadline (and loses the lease then)', async () => {
    const { keeper } = keeperWith(async (r) => r.map(() => true));
    const l = lease('a', 5_000, false);
    keeper.keep(l);
    const sentAt = clock.now();
    await keeper.extend(l, 200);
    expect(keeper.deadlineOf(l)).toBeLessThanOrEqual(sentAt + 200);
    await vi.advanceTimersByTimeAsync(250);
    expect(l.lost?.reason).toBe('expired');
  });

  it('a shorter extend that fails still shortens the deadline (the server may have applied it)', async () => {
    const { keeper } = keeperWith(async () => {
      throw new Error('reply lost');
    });
    const l = lease('a', 5_000, false);
    keeper.keep(l);
    const sentAt = clock.now();
    await expect(keeper.extend(l, 200)).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
    expect(keeper.deadlineOf(l)).toBeLessThanOrEqual(sentAt + 200);
  });

  it('never has a renewal and a user extend in flight together; each reply confirms its own TTL', async () => {
    const pending: { ttl: number; resolve: (ok: boolean[]) => void }[] = [];
    const { keeper, calls } = keeperWith(
      (r) => new Promise((resolve) => pending.push({ ttl: r[0]!.ttlMs, resolve })),
    );
    const l = lease('a', 1_500);
    keeper.keep(l);
    await vi.advanceTimersByTimeAsync(501); // the renewal (TTL 1500) goes out
    expect(pending.map((p) => p.ttl)).toEqual([1_500]);
    const extended = keeper.extend(l, 10_000);
    await vi.advanceTimersByTimeAsync(10);
    expect(calls, 'the extend waits for the renewal in flight').toHaveLength(1);
    const renewalSentAt = clock.now() - 10;
    pending[0]!.resolve([true]);
    await vi.advanceTimersByTimeAsync(0);
    expect(keeper.deadlineOf(l)).toBeLessThanOrEqual(renewalSentAt + 1_500);
    expect(pending.map((p) => p.ttl)).toEqual([1_500, 10_000]);
    const extendSentAt = clock.now();
    await vi.advanceTimersByTimeAsync(10);
    pending[1]!.resolve([true]);
    await extended;
    expect(keeper.deadlineOf(l)).toBeLessThanOrEqual(extendSentAt + 10_000);
    expect(keeper.deadlineOf(l)).toBeGreaterThan(extendSentAt + 9_000);
    keeper.close();
  });

  it('a renewal confirmed after its own deadline loses the lease at once', async () => {
    let release: ((ok: boolean[]) => void) | undefined;
    const { keeper } = keeperWith((r) =>
      new Promise((resolve) => (release = resolve)).then(() => r.map(() => true)),
    );
    const l = lease('a', 300);
    keeper.keep(l);
    await vi.advanceTimersByTimeAsync(101);
    vi.setSystemTime(clock.now() + 1_000); // the process was paused; no timer ran
    release?.([true]);
    await Promise.resolve();
    await Promise.resolve();
    expect(keeper.check(l)).toBe(false);
    expect(l.lost?.reason).toBe('expired');
  });

  it('check() loses a lease whose deadline passed, before any timer fires', () => {
    const { keeper } = keeperWith(async (r) => r.map(() => true));
    const l = lease('a', 300, false);
    keeper.keep(l);
    expect(keeper.check(l)).toBe(true);
    vi.setSystemTime(clock.now() + 600); // a pause: time moved, no timer ran
    expect(keeper.check(l)).toBe(false);
    expect(l.lost?.reason).toBe('expired');
  });

  it('keep() refuses a hold whose deadline already passed', () => {
    const { keeper } = keeperWith(async (r) => r.map(() => true));
    const l = lease('a', 300, true, clock.now() - 400);
    expect(keeper.keep(l)).toBe(false);
    expect(keeper.deadlineOf(l)).toBeUndefined();
    expect(l.lost).toBeUndefined();
  });
});
