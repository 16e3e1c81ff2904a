// What a lock leaves on the server, on a private redis-server (see private-redis.ts): fencing
// tokens that never go back across a restart from an old RDB snapshot, and per-key state that
// expires with the lock instead of piling up one counter per key forever.
import { sleep } from '@locksmith/core/protocol';
import { scaled } from '@locksmith/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisLocks } from '../src/index.ts';
import { clientsClosedAfterAll, PrivateRedis, privateRedisSkip } from './private-redis.ts';
import { REQUIRED } from './servers.ts';

const skip = privateRedisSkip();
const open = clientsClosedAfterAll();

async function serverTimeUs(client: Redis): Promise<bigint> {
  const [s, us] = (await client.time()) as [number, number];
  return BigInt(s) * 1_000_000n + BigInt(us);
}

describe.skipIf(skip !== undefined && !REQUIRED)(
  `redis: server state${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let server: PrivateRedis;
    beforeAll(async () => {
      if (skip) throw new Error(skip);
      server = await PrivateRedis.start();
    });
    afterAll(() => server?.stop());

    it('tokens keep increasing after a restart from an older RDB snapshot', async () => {
      const client = open(server.url);
      const locks = redisLocks({ client });
      locks.on('error', () => undefined);
      const before = await serverTimeUs(client);
      const first = await locks.acquire('snapshot');
      expect(first.token >= before, 'a token is at least the server time in µs').toBe(true);
      await first.release();
      await client.save();
      // More acquisitions after the snapshot: the RDB file does not know these tokens.
      let last = first.token;
      for (let i = 0; i < 5; i += 1) {
        const lease = await locks.acquire('snapshot');
        expect(lease.token > last).toBe(true);
        last = lease.token;
        await lease.release();
      }
      await server.kill();
      await server.start();
      await client.ping();
      expect(await client.dbsize(), 'the restart loaded the snapshot').toBeGreaterThan(0);
      const after = await locks.acquire('snapshot');
      expect(after.token > last, `token ${after.token} after the restart, ${last} before`).toBe(true);
      await after.release();
      await locks.close();
    }, 30_000);

    it('tokens keep increasing after a failover to a replica that missed the last writes', async () => {
      const replica = await PrivateRedis.start();
      try {
        const primaryClient = open(server.url);
        const replicaClient = open(replica.url);
        await primaryClient.config('SET', 'repl-diskless-sync-delay', '0');
        await replicaClient.replicaof('127.0.0.1', server.port);
        const onPrimary = redisLocks({ client: primaryClient, prefix: 'failover' });
        await (await onPrimary.acquire('k')).release();
        // WAIT: until the replica has acknowledged everything so far.
        expect(await primaryClient.call('WAIT', '1', String(scaled(10_000)))).toBe(1);
        expect(await replicaClient.exists('{failover:k}:token'), 'the replica has the counter').toBe(1);
        // The replica stops following (a partition); the primary goes on issuing tokens it never sees.
        await replicaClient.replicaof('NO', 'ONE');
        let last = 0n;
        for (let i = 0; i < 5; i += 1) {
          const lease = await onPrimary.acquire('k');
          last = lease.token;
          await lease.release();
        }
        // Failover: clients now lock on the former replica.
        const onReplica = redisLocks({ client: replicaClient, prefix: 'failover' });
        const after = await onReplica.acquire('k');
        expect(after.token > last, `token ${after.token} after the failover, ${last} before`).toBe(true);
        await after.release();
        await Promise.all([onPrimary.close(), onReplica.close()]);
      } finally {
        await replica.stop();
      }
    }, 30_000);

    it('leaves no key behind once released locks have expired (TTL + 1 s), waiters included', async () => {
      const client = open(server.url);
      await client.flushall();
      const prefix = 'gone';
      const locks = redisLocks({ client, prefix });
      const other = redisLocks({ client: open(server.url), prefix });
      const ttlMs = 500;
      for (let i = 0; i < 1_000; i += 1) await (await locks.acquire(`invoice:${i}`, { ttlMs })).release();
      // Contended keys too: queue and waiter records, a renewed lease, and one that simply expires.
      for (let i = 0; i < 5; i += 1) {
        const held = await locks.acquire(`busy:${i}`, { ttlMs });
        const waiting = other.acquire(`busy:${i}`, { ttlMs });
        await sleep(20);
        await held.release();
        await (await waiting).release();
      }
      const renewed = await locks.acquire('renewed', { ttlMs });
      await sleep(ttlMs * 2);
      expect(renewed.held).toBe(true);
      await renewed.release();
      await locks.acquire('abandoned', { ttlMs, autoRenew: false });
      await sleep(scaled(ttlMs + 1_000 + 500));
      const left = await client.keys('*');
      expect(left.slice(0, 10), `${left.length} keys left`).toEqual([]);
      await Promise.all([locks.close(), other.close()]);
    }, 60_000);
  },
);
