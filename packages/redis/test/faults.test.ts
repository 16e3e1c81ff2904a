// Server faults on private redis-server processes (see private-redis.ts): a killed single
// instance, a restart without persistence, SCRIPT FLUSH, and Redlock with instances down.
import { BackendUnavailableError, LockLostError, LockTimeoutError } from '@locksmith/core';
import { sleep } from '@locksmith/core/protocol';
import { scaled } from '@locksmith/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisLocks } from '../src/index.ts';
import { clientsClosedAfterAll, PrivateRedis, privateRedisSkip } from './private-redis.ts';
import { REQUIRED } from './servers.ts';

const skip = privateRedisSkip();
const open = clientsClosedAfterAll();

function abortedWithin(signal: AbortSignal, ms: number): Promise<unknown> {
  if (signal.aborted) return Promise.resolve(signal.reason);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`lease.signal did not abort within ${ms} ms`)), ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve(signal.reason);
    });
  });
}

describe.skipIf(skip !== undefined && !REQUIRED)(
  `redis: single-instance faults${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let server: PrivateRedis;
    beforeAll(async () => {
      if (skip) throw new Error(skip);
      server = await PrivateRedis.start();
    });
    afterAll(() => server?.stop());

    it('killing the server makes lease.signal fire long before the TTL, without unhandled rejections', async () => {
      const client = open(server.url);
      const locks = redisLocks({ client });
      const lease = await locks.acquire('killed', { ttlMs: 60_000 });
      const errors: unknown[] = [];
      locks.on('error', (e) => errors.push(e));
      const killedAt = performance.now();
      await server.kill();
      const reason = await abortedWithin(lease.signal, scaled(5_000));
      expect(performance.now() - killedAt).toBeLessThan(60_000);
      expect(LockLostError.isInstance(reason) && reason.reason).toBe('unreachable');
      expect(errors).toHaveLength(1);
      // While the server is away, acquire fails (or waits) but nothing hangs past waitMs.
      const outcome = await locks.acquire('other', { waitMs: scaled(300) }).then(
        () => 'acquired',
        (e: unknown) =>
          LockTimeoutError.isInstance(e) || BackendUnavailableError.isInstance(e) ? 'failed' : e,
      );
      expect(outcome).toBe('failed');
      await server.start();
      await client.ping();
      // The restarted server (no persistence) has no key: another client takes it at once.
      const again = await locks.acquire('killed', { waitMs: scaled(1_000) });
      expect(again.token > lease.token, 'tokens keep increasing across a restart that lost the data').toBe(
        true,
      );
      await again.release();
      await locks.close();
      expect(client.status, 'the user’s client is left open').toBe('ready');
    }, 30_000);

    it('a waiter queued when the server restarts (and forgets the queue) gets the lock after the restart', async () => {
      const a = redisLocks({ client: open(server.url), pollIntervalMs: 60_000 });
      const b = redisLocks({ client: open(server.url), pollIntervalMs: 60_000 });
      b.on('error', () => undefined);
      const held = await b.acquire('restart', { ttlMs: 30_000 });
      const waiting = a.acquire('restart', { waitMs: scaled(10_000) });
      await sleep(50);
      await server.kill();
      await server.start();
      // Polling is slowed to a minute: the reconnect of the waiter's subscriber wakes it.
      const lease = await waiting;
      expect(lease.token > held.token).toBe(true);
      expect(held.held).toBe(false);
      await lease.release();
      await Promise.all([a.close(), b.close()]);
    }, 30_000);

    it('falls back to EVAL after SCRIPT FLUSH (NOSCRIPT), for acquire, renewal and release', async () => {
      const client = open(server.url);
      const locks = redisLocks({ client });
      await (await locks.acquire('flush')).release();
      await client.script('FLUSH');
      const lease = await locks.acquire('flush', { ttlMs: 300 });
      // More leases than one script call renews: the batch goes out as a pipeline.
      const many = await Promise.all(
        Array.from({ length: 300 }, (_, i) => locks.acquire(`flush-${i}`, { ttlMs: 300 })),
      );
      await client.script('FLUSH');
      await sleep(400); // renewed past their TTL by batches that met NOSCRIPT
      expect(lease.held).toBe(true);
      expect(many.every((l) => l.held)).toBe(true);
      await Promise.all(many.map((l) => l.release()));
      await client.script('FLUSH');
      await lease.release();
      expect(await client.exists('{locksmith:flush}')).toBe(0);
      await locks.close();
    });

    it('close() closes only the subscriber connection it opened', async () => {
      const client = open(server.url);
      const locks = redisLocks({ client });
      const held = await locks.acquire('close');
      const waiting = locks.acquire('close').catch((e: unknown) => e);
      await sleep(50);
      const before = Number((await client.info('clients')).match(/connected_clients:(\d+)/)?.[1]);
      await locks.close();
      expect(BackendUnavailableError.isInstance(await waiting)).toBe(true);
      expect(held.held).toBe(false);
      const count = async () => Number((await client.info('clients')).match(/connected_clients:(\d+)/)?.[1]);
      // The server notices the closed subscriber a moment later.
      for (let i = 0; i < 100 && (await count()) !== before - 1; i += 1) await sleep(20);
      expect(await count()).toBe(before - 1);
      expect(client.status).toBe('ready');
    });
  },
);

describe.skipIf(skip !== undefined && !REQUIRED)(
  `redlock: instances down${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const servers: PrivateRedis[] = [];
    beforeAll(async () => {
      if (skip) throw new Error(skip);
      for (let i = 0; i < 5; i += 1) servers.push(await PrivateRedis.start());
    });
    afterAll(() => Promise.all(servers.map((s) => s.stop())));

    it('keeps working with two of five instances down, and loses its leases when a third goes', async () => {
      const a = redisLocks({ clients: servers.map((s) => open(s.url)) });
      const b = redisLocks({ clients: servers.map((s) => open(s.url)) });
      const kept = await a.acquire('kept', { ttlMs: 1_000 });
      await servers[0]!.kill();
      await servers[1]!.kill();
      // A lease held on all five survives renewals with three left.
      await sleep(1_500);
      expect(kept.held, String(kept.signal.reason)).toBe(true);
      // New locks, contention and wake-ups still work on three.
      const first = await a.acquire('busy', { ttlMs: 2_000 });
      const second = b.acquire('busy', { waitMs: scaled(3_000) });
      await sleep(50);
      await first.release();
      await (await second).release();
      expect(await b.tryAcquire('kept'), 'still exclusive').toBeUndefined();
      // A third instance down: no majority; the lease is lost (unreachable), acquires fail.
      await servers[2]!.kill();
      const reason = await abortedWithin(kept.signal, scaled(3_000));
      expect(LockLostError.isInstance(reason) && reason.reason).toBe('unreachable');
      expect(await b.tryAcquire('other')).toBeUndefined();
      // Back to five: everything works again.
      for (const s of servers.slice(0, 3)) await s.start();
      const back = await b.acquire('other', { waitMs: scaled(5_000) });
      await back.release();
      await Promise.all([a.close(), b.close()]);
    }, 60_000);
  },
);
