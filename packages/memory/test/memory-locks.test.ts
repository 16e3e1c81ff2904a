import { LockLostError } from '@locksmith/core';
import { sleep } from '@locksmith/core/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemorySpace, defaultMemorySpace, type MemorySpace, memoryLocks } from '../src/index.ts';

const clients: { close(): Promise<void> }[] = [];
function client(space?: MemorySpace) {
  const c = memoryLocks(space === undefined ? undefined : { space });
  clients.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

describe('memoryLocks', () => {
  it('hands the key to waiters in arrival order, with increasing tokens', async () => {
    const space = createMemorySpace();
    const [a, b, c, d] = [client(space), client(space), client(space), client(space)];
    const first = await a.acquire('k');
    const order: string[] = [];
    const waits = [b, c, d].map((locks, i) =>
      locks.acquire('k').then(async (lease) => {
        order.push(`w${i}:${lease.token}`);
        await lease.release();
      }),
    );
    await sleep(5);
    expect(space.peek('k').waiters).toBe(3);
    await first.release();
    await Promise.all(waits);
    expect(order).toEqual([`w0:${first.token + 1n}`, `w1:${first.token + 2n}`, `w2:${first.token + 3n}`]);
  });

  it('does not let a newcomer barge past a queued waiter', async () => {
    const space = createMemorySpace();
    const [a, b, c] = [client(space), client(space), client(space)];
    const first = await a.acquire('k');
    const waiting = b.acquire('k');
    await sleep(1);
    await first.release();
    // The key already belongs to the waiter, even before its promise has resolved.
    expect(await c.tryAcquire('k')).toBeUndefined();
    await (await waiting).release();
    expect(space.peek('k')).toEqual({ token: undefined, expiresInMs: undefined, waiters: 0 });
  });

  it('gives an expired hold to the head waiter without a release', async () => {
    const space = createMemorySpace();
    const [a, b] = [client(space), client(space)];
    const stale = await a.acquire('k', { ttlMs: 40, autoRenew: false });
    const next = await b.acquire('k', { waitMs: 5_000 });
    expect(next.token).toBeGreaterThan(stale.token);
    expect(stale.signal.aborted).toBe(true);
    expect(LockLostError.isInstance(stale.signal.reason)).toBe(true);
    expect(space.peek('k').token).toBe(next.token);
    await next.release();
  });

  it('forget() drops a hold: the holder learns at once, its renewals fail, the waiter gets the key', async () => {
    const space = createMemorySpace();
    const [a, b] = [client(space), client(space)];
    const lease = await a.acquire('k');
    const waiting = b.acquire('k');
    await sleep(1);
    expect(space.forget('k')).toBe(true);
    expect(lease.signal.aborted).toBe(true);
    expect((lease.signal.reason as LockLostError).reason).toBe('taken');
    await expect(lease.extend()).rejects.toSatisfy(LockLostError.isInstance);
    const next = await waiting;
    expect(next.token).toBe(lease.token + 1n);
    await next.release();
    expect(space.forget('k')).toBe(false);
  });

  it('extend of a released, forgotten or expired hold is false', () => {
    let now = 0;
    const space = createMemorySpace({ clock: { now: () => now } });
    const tokens: bigint[] = [];
    const claim = { ttlMs: 10, granted: (t: bigint) => tokens.push(t), lost: () => undefined };
    expect(space.tryTake('k', claim)).toBe(true);
    const [token] = tokens as [bigint];
    expect(space.extend('k', token, 10)).toBe(true);
    now = 10;
    expect(space.extend('k', token, 10)).toBe(false); // expired: never revived
    expect(space.tryTake('k', claim)).toBe(true);
    expect(space.forget('k')).toBe(true);
    expect(space.extend('k', tokens[1]!, 10)).toBe(false);
    expect(space.release('k', tokens[1]!)).toBe(false);
  });

  it('an aborted waiter leaves the queue', async () => {
    const space = createMemorySpace();
    const [a, b] = [client(space), client(space)];
    const lease = await a.acquire('k');
    const controller = new AbortController();
    const waiting = b.acquire('k', { signal: controller.signal });
    await sleep(1);
    expect(space.peek('k').waiters).toBe(1);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(space.peek('k').waiters).toBe(0);
    await lease.release();
    expect(space.peek('k').token).toBeUndefined();
  });

  it('clients without a space share the process-wide one; created spaces are isolated', async () => {
    const key = `shared-${Math.random()}`;
    const [a, b] = [client(), client()];
    const lease = await a.acquire(key);
    expect(await b.tryAcquire(key)).toBeUndefined();
    expect(defaultMemorySpace().peek(key).token).toBe(lease.token);
    const isolated = await client(createMemorySpace()).tryAcquire(key);
    expect(isolated).toBeDefined();
    await isolated?.release();
    await lease.release();
  });

  it('keeps nothing for a key once it is free and unwaited-for, yet tokens keep rising', async () => {
    const space = createMemorySpace();
    const locks = client(space);
    const first = await locks.acquire('k');
    await first.release();
    const second = await locks.acquire('k');
    expect(second.token).toBeGreaterThan(first.token);
    await second.release();
    expect(space.peek('k')).toEqual({ token: undefined, expiresInMs: undefined, waiters: 0 });
  });

  it('declares its capabilities', () => {
    expect(client().capabilities).toEqual({
      fencing: 'strict',
      wait: 'push',
      fifo: true,
      primitives: ['lock'],
    });
    expect(client().backend).toBe('memory');
  });
});
