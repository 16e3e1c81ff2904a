// The single-instance wait path on the shared server: FIFO order within and across clients, the
// releaser not winning the lock back, aborted and dead waiters, and batched renewal.
import { type Lease, LockLostError } from '@locksmith/core';
import { sleep } from '@locksmith/core/protocol';
import { scaled } from '@locksmith/testkit';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisLockKeys, redisLocks } from '../src/index.ts';
import { acquireScript } from '../src/scripts/acquire-script.ts';
import { leaveScript } from '../src/scripts/leave-script.ts';
import { releaseScript } from '../src/scripts/release-script.ts';
import { connect, REDIS_URL, REQUIRED, skipFor, testPrefix } from './servers.ts';

const skip = await skipFor('redis');
const prefix = testPrefix('queue');
const opened: Redis[] = [];
afterAll(() => {
  for (const c of opened) c.disconnect();
});
const open = () => {
  const c = connect(REDIS_URL);
  opened.push(c);
  return c;
};
const shared = skip ? undefined : open();
const SLOW = 10 * 60_000;
let n = 0;
const key = () => `k${++n}`;

describe.skipIf(skip !== undefined && !REQUIRED)(
  `redis: waiter queue${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it('serves waiters of one client in arrival order', async () => {
      if (skip || !shared) throw new Error(skip);
      const locks = redisLocks({ client: shared, prefix, pollIntervalMs: SLOW });
      const k = key();
      const first = await locks.acquire(k);
      const order: number[] = [];
      const waiters = [0, 1, 2, 3, 4].map(async (i) => {
        await sleep(i * 20);
        const lease = await locks.acquire(k);
        order.push(i);
        await sleep(5);
        await lease.release();
      });
      await sleep(150);
      await first.release();
      await Promise.all(waiters);
      expect(order).toEqual([0, 1, 2, 3, 4]);
      await locks.close();
    });

    it('serves waiters of different clients (connections) in arrival order at the server', async () => {
      if (skip) throw new Error(skip);
      const clients = [0, 1, 2, 3].map(() => redisLocks({ client: open(), prefix, pollIntervalMs: SLOW }));
      const k = key();
      const first = await clients[0]!.acquire(k);
      const order: number[] = [];
      const waiters = [1, 2, 3].map(async (i) => {
        await sleep((i - 1) * 40);
        const lease = await clients[i]!.acquire(k);
        order.push(i);
        await lease.release();
      });
      await sleep(200);
      await first.release();
      await Promise.all(waiters);
      expect(order).toEqual([1, 2, 3]);
      await Promise.all(clients.map((c) => c.close()));
    });

    it('a releaser acquiring again at once queues behind the waiter (no barging)', async () => {
      if (skip || !shared) throw new Error(skip);
      const a = redisLocks({ client: shared, prefix, pollIntervalMs: SLOW });
      const b = redisLocks({ client: open(), prefix, pollIntervalMs: SLOW });
      const k = key();
      const events: string[] = [];
      let lease = await a.acquire(k);
      const waiter = b.acquire(k).then(async (l) => {
        events.push('b');
        await sleep(10);
        await l.release();
      });
      await sleep(50);
      for (let i = 0; i < 3; i += 1) {
        await lease.release();
        lease = await a.acquire(k);
        events.push('a');
      }
      await lease.release();
      await waiter;
      expect(events[0]).toBe('b');
      await Promise.all([a.close(), b.close()]);
    });

    it('an aborted waiter leaves the queue and the next one is woken', async () => {
      if (skip || !shared) throw new Error(skip);
      const locks = redisLocks({ client: shared, prefix, pollIntervalMs: SLOW });
      const other = redisLocks({ client: open(), prefix, pollIntervalMs: SLOW });
      const k = key();
      const holder = await locks.acquire(k);
      const controller = new AbortController();
      const aborted = other.acquire(k, { signal: controller.signal }).catch((e: unknown) => e);
      await sleep(30);
      const next = locks.acquire(k, { waitMs: scaled(2_000) });
      await sleep(30);
      controller.abort(new Error('gave up'));
      expect(await aborted).toEqual(new Error('gave up'));
      await sleep(30);
      const keys = redisLockKeys(prefix, k);
      expect(await shared.zcard(keys.queue), 'only the live waiter is queued').toBe(1);
      await holder.release();
      await (await next).release();
      expect(await shared.exists(keys.queue, keys.waiters, keys.lock)).toBe(0);
      await Promise.all([locks.close(), other.close()]);
    });

    it('a waiter whose connection died holds up the queue at most for its own TTL', async () => {
      if (skip || !shared) throw new Error(skip);
      const doomedConnection = open();
      const doomed = redisLocks({ client: doomedConnection, prefix, pollIntervalMs: 500 });
      const locks = redisLocks({ client: shared, prefix, pollIntervalMs: 500 });
      const k = key();
      const holder = await locks.acquire(k);
      const dead = doomed.acquire(k, { ttlMs: 500 }).catch(() => undefined);
      await sleep(50);
      const live = locks.acquire(k, { waitMs: scaled(5_000) });
      await sleep(50);
      doomedConnection.disconnect(); // it cannot leave the queue any more
      await dead;
      await holder.release(); // granted to the dead head, which never uses it
      const lease = await live; // its 500 ms TTL later (or sooner, once its queue entry expired)
      await lease.release();
      await Promise.all([locks.close(), doomed.close()]);
    });

    it('renews many leases of a client together: one round trip per renewal period', async () => {
      if (skip) throw new Error(skip);
      const connection = open();
      let roundTrips = 0;
      for (const method of ['evalsha', 'eval', 'pipeline'] as const) {
        const original = connection[method].bind(connection) as (...args: unknown[]) => unknown;
        (connection as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
          roundTrips += 1;
          return original(...args);
        };
      }
      const locks = redisLocks({ client: connection, prefix });
      const leases: Lease[] = await Promise.all(
        Array.from({ length: 300 }, (_, i) => locks.acquire(`many-${n}-${i}`, { ttlMs: 1_500 })),
      );
      roundTrips = 0;
      await sleep(1_600); // past the TTL: two or three renewal periods (every 500 ms)
      expect(leases.every((l) => l.held)).toBe(true);
      expect(roundTrips, '300 leases renewed in batches, not one by one').toBeGreaterThanOrEqual(2);
      expect(roundTrips).toBeLessThanOrEqual(8);
      await Promise.all(leases.map((l) => l.release()));
      await locks.close();
    });

    it('a lease whose key was deleted is lost at its next renewal (reason taken)', async () => {
      if (skip || !shared) throw new Error(skip);
      const locks = redisLocks({ client: shared, prefix });
      const lease = await locks.acquire(key(), { ttlMs: 300 });
      await shared.del(redisLockKeys(prefix, lease.key).lock);
      await new Promise((resolve) => lease.signal.addEventListener('abort', resolve));
      expect(LockLostError.isInstance(lease.signal.reason) && lease.signal.reason.reason).toBe('taken');
      await locks.close();
    });

    it('scripts: a release grants the lock to the live head and publishes on its client channel; leave hands a grant back', async () => {
      if (skip || !shared) throw new Error(skip);
      const k = redisLockKeys(prefix, key());
      const keys = [k.lock, k.token, k.queue, k.waiters];
      const listener = open();
      const messages: string[] = [];
      listener.on('message', (_channel: string, message: string) => messages.push(message));
      await listener.subscribe('chan-a');
      expect(await acquireScript.run(shared, keys, ['holder/1', 5_000, '1', 1_000, 1_000, 1])).toMatchObject({
        held: true,
      });
      expect(await acquireScript.run(shared, keys, ['chan-a/1', 5_000, '1', 1_000, 1_000, 7])).toMatchObject({
        held: false,
      });
      expect(await acquireScript.run(shared, keys, ['chan-b/1', 4_000, '1', 1_000, 1_000, 1])).toMatchObject({
        held: false,
      });
      expect(await releaseScript.run(shared, [k.lock, k.token, k.queue, k.waiters], ['holder/1', '1'])).toBe(
        true,
      );
      // chan-a/1 holds it now, with its own TTL, and was told which attempt of its own was current.
      const value = String(await shared.get(k.lock));
      expect(value.startsWith('chan-a/1:')).toBe(true);
      expect(await shared.pttl(k.lock)).toBeGreaterThan(4_000);
      await sleep(50);
      expect(messages).toHaveLength(1);
      const [id, token, attempt, elapsedUs] = messages[0]!.split(' ');
      expect([id, token, attempt]).toEqual(['chan-a/1', value.slice('chan-a/1:'.length), '7']);
      expect(Number(elapsedUs)).toBeGreaterThanOrEqual(0);
      // It gave up just then: leave frees the granted lock and grants it to the next waiter.
      expect(await leaveScript.run(shared, keys, ['chan-a/1'])).toBe(true);
      expect(String(await shared.get(k.lock)).startsWith('chan-b/1:')).toBe(true);
      // An attempt that finds the lock granted to it returns it, with the remaining TTL.
      const found = await acquireScript.run(shared, keys, ['chan-b/1', 4_000, '1', 1_000, 1_000, 2]);
      expect(found).toMatchObject({ held: true });
      expect(found.held && found.pttlMs <= 4_000).toBe(true);
      expect(await releaseScript.run(shared, [k.lock, k.token, k.queue, k.waiters], ['chan-b/1', '1'])).toBe(
        true,
      );
      expect(await shared.exists(k.lock, k.queue, k.waiters)).toBe(0);
    });
  },
);
