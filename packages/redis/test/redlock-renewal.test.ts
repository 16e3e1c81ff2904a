// Redlock on five private redis-server processes: each lease of a batched renewal is decided on
// its own (two servers paused), leases lost as taken leave the hold table, and a release refused
// while connections are down is retried rather than left to the TTL.
import { LockLostError, systemClock } from '@locksmith/core';
import { createLockClient, sleep } from '@locksmith/core/protocol';
import { leaseKeeper } from '@locksmith/lease';
import { scaled } from '@locksmith/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisLockKeys, redisLocks } from '../src/index.ts';
import { RedisInstance } from '../src/redis-instance.ts';
import { RedlockProtocol } from '../src/redlock/redlock-protocol.ts';
import { clientsClosedAfterAll, PrivateRedis, privateRedisSkip } from './private-redis.ts';
import { REQUIRED } from './servers.ts';

const skip = privateRedisSkip();
const open = clientsClosedAfterAll();

function redlockClient(clients: readonly Redis[]) {
  const protocol = new RedlockProtocol(
    clients.map((c) => new RedisInstance(c, 'redlock', systemClock, 10_000)),
    {
      prefix: 'locksmith',
      clock: systemClock,
      pollIntervalMs: 1_000,
      queueGraceMs: 1_000,
      closeTimeoutMs: 2_000,
      driftFactor: 0.01,
      driftMs: 2,
    },
  );
  const locks = createLockClient(protocol, { keeper: leaseKeeper(), clock: systemClock });
  locks.on('error', () => undefined);
  return { protocol, locks };
}

function lost(signal: AbortSignal): Promise<unknown> {
  if (signal.aborted) return Promise.resolve(signal.reason);
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(signal.reason)));
}

describe.skipIf(skip !== undefined && !REQUIRED)(
  `redlock: batched renewal${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const servers: PrivateRedis[] = [];
    beforeAll(async () => {
      if (skip) throw new Error(skip);
      for (let i = 0; i < 5; i += 1) servers.push(await PrivateRedis.start());
    });
    afterAll(() =>
      Promise.all(
        servers.map((s) => {
          s.resume();
          return s.stop();
        }),
      ),
    );

    it('drops holds lost as taken (extend said no) from the hold table', async () => {
      const raw = servers.map((s) => open(s.url));
      const { protocol, locks } = redlockClient(servers.map((s) => open(s.url)));
      const leases = await Promise.all(
        Array.from({ length: 10 }, (_, i) => locks.acquire(`taken-${i}`, { ttlMs: 300 })),
      );
      expect(protocol.holdCount).toBe(10);
      await Promise.all(
        leases.flatMap((l) =>
          raw.map((c) => c.set(redisLockKeys('locksmith', l.key).lock, 'someone-else:1', 'PX', 10_000)),
        ),
      );
      const reasons = await Promise.all(leases.map((l) => lost(l.signal)));
      expect(reasons.every((r) => LockLostError.isInstance(r) && r.reason === 'taken')).toBe(true);
      expect(protocol.holdCount).toBe(0);
      await locks.close();
    }, 30_000);

    it('retries a release refused while a majority of connections is down, instead of leaving it to the TTL', async () => {
      const clients = servers.map((s) => {
        const c = new Redis(s.url, { enableOfflineQueue: false, maxRetriesPerRequest: 2 });
        c.on('error', () => undefined);
        return open.adopt(c);
      });
      await Promise.all(clients.map((c) => new Promise<void>((resolve) => c.once('ready', () => resolve()))));
      const locks = redisLocks({ clients });
      locks.on('error', () => undefined);
      const other = redisLocks({ clients: servers.map((s) => open(s.url)) });
      const lease = await locks.acquire('dropped', { ttlMs: 60_000 });
      // Three of this client's connections drop: the lease is lost, and its release reaches only two.
      for (const c of clients.slice(0, 3)) c.stream.destroy();
      await lost(lease.signal);
      const next = await other.acquire('dropped', { waitMs: scaled(3_000) });
      await next.release();
      await Promise.all([locks.close(), other.close()]);
    }, 30_000);

    it('decides each lease of a renewal batch on its own: one without a majority does not sink the rest', async () => {
      const raw = servers.map((s) => open(s.url));
      const { locks } = redlockClient(servers.map((s) => open(s.url)));
      // `doomed` has the longer TTL: it joins `kept`'s renewal batches, and with two instances gone
      // and a third that forgot it (2 yes, 1 no, 2 unknown: undecided) it would stay in doubt past
      // `kept`'s deadline, while `kept` still has 3 of 5 each time.
      const doomed = await locks.acquire('doomed', { ttlMs: 3_000 });
      const kept = await locks.acquire('kept', { ttlMs: 600 });
      // Paused, not killed: their replies stay pending (a killed server's closed connection would
      // report its holds lost on its own).
      servers[0]!.pause();
      servers[1]!.pause();
      await raw[2]!.del(redisLockKeys('locksmith', 'doomed').lock);
      await sleep(1_500); // several renewal rounds, past kept's TTL
      expect(kept.held, 'the lease with a majority is still held').toBe(true);
      const reason = await lost(doomed.signal);
      expect(LockLostError.isInstance(reason)).toBe(true);
      await kept.release();
      for (const s of servers.slice(0, 2)) s.resume();
      await locks.close();
    }, 30_000);
  },
);
