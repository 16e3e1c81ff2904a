// Replies that never come back and grants that come too late, on a private redis-server that a
// test pauses (SIGSTOP) past the client's commandTimeout: the script still runs when the server
// resumes, so whatever it took must be cleaned up by the attempt's holder id, not left for its TTL.
import { BackendUnavailableError, LockLostError, LockTimeoutError, systemClock } from '@locksmith/core';
import { createLockClient, sleep, waitForHold } from '@locksmith/core/protocol';
import { leaseKeeper } from '@locksmith/lease';
import { scaled } from '@locksmith/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisLockKeys, redisLocks } from '../src/index.ts';
import { RedisInstance } from '../src/redis-instance.ts';
import { type ProtocolSettings, RedisProtocol } from '../src/redis-protocol.ts';
import { acquireScript } from '../src/scripts/acquire-script.ts';
import { PrivateRedis, privateRedisSkip } from './private-redis.ts';
import { connect, REQUIRED } from './servers.ts';

const skip = privateRedisSkip();
const opened: Redis[] = [];
const open = (url: string, commandTimeout?: number) => {
  const c =
    commandTimeout === undefined
      ? connect(url)
      : new Redis(url, { commandTimeout, maxRetriesPerRequest: 2, connectTimeout: 2_000 });
  c.on('error', () => undefined);
  opened.push(c);
  return c;
};
afterAll(() => {
  for (const c of opened) c.disconnect();
});

const SETTINGS: ProtocolSettings = {
  prefix: 'locksmith',
  clock: systemClock,
  pollIntervalMs: 60_000,
  queueGraceMs: 1_000,
  closeTimeoutMs: 2_000,
};

/** A client built the way redisLocks builds it, with its protocol in reach of the test. */
function protocolClient(client: Redis) {
  const protocol = new RedisProtocol(new RedisInstance(client, 'redis', systemClock, 10_000), SETTINGS);
  return { protocol, locks: createLockClient(protocol, { keeper: leaseKeeper(), clock: systemClock }) };
}

/** Blocks the event loop, as a long GC pause or CPU starvation would. */
function blockFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy
  }
}

describe.skipIf(skip !== undefined && !REQUIRED)(
  `redis: lost replies and late grants${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let server: PrivateRedis;
    beforeAll(async () => {
      if (skip) throw new Error(skip);
      server = await PrivateRedis.start();
    });
    afterAll(async () => {
      server?.resume();
      await server?.stop();
    });

    it('a tryAcquire whose reply is lost (commandTimeout) does not orphan the lock for its TTL', async () => {
      const locks = redisLocks({ client: open(server.url, 200) });
      locks.on('error', () => undefined);
      const other = redisLocks({ client: open(server.url) });
      await (await locks.acquire('warm')).release();
      server.pause();
      const outcome = await locks.tryAcquire('lost', { ttlMs: 60_000 }).catch((e: unknown) => e);
      server.resume();
      expect(BackendUnavailableError.isInstance(outcome), String(outcome)).toBe(true);
      // The script ran when the server resumed; nobody must wait the 60 s TTL for it.
      const lease = await other.acquire('lost', { waitMs: scaled(3_000) });
      await lease.release();
      await Promise.all([locks.close(), other.close()]);
    }, 30_000);

    it('the clean-up of a lost reply falls back to EVAL when the server forgot its scripts', async () => {
      const raw = open(server.url);
      const locks = redisLocks({ client: open(server.url, 200) });
      locks.on('error', () => undefined);
      const other = redisLocks({ client: open(server.url) });
      await raw.script('FLUSH');
      // Only the acquire script is cached again: the clean-up (release) meets NOSCRIPT.
      const warm = redisLockKeys('locksmith', 'warm-flush');
      await acquireScript.run(raw, [warm.lock, warm.token, warm.queue, warm.waiters], ['x', 1, '0', 1, 0, 1]);
      server.pause();
      const outcome = await locks.tryAcquire('lost-flush', { ttlMs: 60_000 }).catch((e: unknown) => e);
      server.resume();
      expect(BackendUnavailableError.isInstance(outcome), String(outcome)).toBe(true);
      const lease = await other.acquire('lost-flush', { waitMs: scaled(3_000) });
      await lease.release();
      await Promise.all([locks.close(), other.close()]);
    }, 30_000);

    it('a queued attempt whose reply is lost leaves the queue, so the next release skips it', async () => {
      const holder = redisLocks({ client: open(server.url) });
      const third = redisLocks({ client: open(server.url), pollIntervalMs: 60_000 });
      const locks = redisLocks({ client: open(server.url, 200) });
      locks.on('error', () => undefined);
      await (await locks.acquire('warm')).release();
      const held = await holder.acquire('queued-lost', { ttlMs: 60_000 });
      server.pause();
      const outcome = await locks.acquire('queued-lost', { ttlMs: 60_000 }).catch((e: unknown) => e);
      server.resume();
      expect(BackendUnavailableError.isInstance(outcome), String(outcome)).toBe(true);
      await sleep(100); // the clean-up has run (or is queued before the next commands)
      const waiting = third.acquire('queued-lost', { waitMs: scaled(3_000) });
      await sleep(50);
      await held.release();
      await (await waiting).release();
      await Promise.all([holder.close(), third.close(), locks.close()]);
    }, 30_000);

    it('a release that could not be sent (connection dropped, no offline queue) is retried, not left to the TTL', async () => {
      const client = new Redis(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 2 });
      client.on('error', () => undefined);
      opened.push(client);
      await new Promise<void>((resolve) => client.once('ready', () => resolve()));
      const locks = redisLocks({ client });
      locks.on('error', () => undefined);
      const other = redisLocks({ client: open(server.url) });
      const lease = await locks.acquire('dropped', { ttlMs: 60_000 });
      // The connection drops: the lease is reported lost and its release fails while ioredis
      // reconnects (commands are refused, not queued).
      client.stream.destroy();
      await new Promise<void>((resolve) => lease.signal.addEventListener('abort', () => resolve()));
      const next = await other.acquire('dropped', { waitMs: scaled(3_000) });
      await next.release();
      await Promise.all([locks.close(), other.close()]);
    }, 30_000);

    it('drops holds lost as taken (extend said no) from the hold table', async () => {
      const raw = open(server.url);
      const { protocol, locks } = protocolClient(open(server.url));
      locks.on('error', () => undefined);
      const leases = await Promise.all(
        Array.from({ length: 20 }, (_, i) => locks.acquire(`taken-${i}`, { ttlMs: 300 })),
      );
      expect(protocol.holdCount).toBe(20);
      // Someone else's value replaces ours: the next renewal answers "not yours".
      await Promise.all(
        leases.map((l) => raw.set(redisLockKeys('locksmith', l.key).lock, 'someone-else:1', 'PX', 10_000)),
      );
      await Promise.all(
        leases.map(
          (l) =>
            new Promise<void>((resolve) => {
              if (l.signal.aborted) resolve();
              l.signal.addEventListener('abort', () => resolve());
            }),
        ),
      );
      expect(
        leases.every((l) => LockLostError.isInstance(l.signal.reason) && l.signal.reason.reason === 'taken'),
      ).toBe(true);
      expect(protocol.holdCount).toBe(0);
      await locks.close();
    }, 30_000);

    it('dates a grant read after a pause longer than its TTL from the grant, not from the read', async () => {
      const holder = redisLocks({ client: open(server.url) });
      const { protocol } = protocolClient(open(server.url));
      const held = await holder.acquire('paused-grant', { ttlMs: 60_000 });
      const controller = new AbortController();
      const request = { ttlMs: 300, wait: true, signal: controller.signal };
      const waiting = waitForHold(
        protocol.attempt('paused-grant', request),
        true,
        request.signal,
        () => undefined,
      );
      await sleep(100); // queued and subscribed
      const releasing = held.release(); // the release command is written before the pause
      blockFor(700);
      const hold = await waiting;
      await releasing;
      expect(hold).toBeDefined();
      // The grant started the 300 ms TTL before the pause: the hold is already past its deadline.
      expect(hold!.sentAt + hold!.ttlMs).toBeLessThan(systemClock.now());
      await protocol.release(hold!);
      await Promise.all([holder.close(), protocol.close()]);
    }, 30_000);

    it('hands back a grant that arrives for a waiter that just gave up', async () => {
      const holder = redisLocks({ client: open(server.url) });
      const quitter = redisLocks({ client: open(server.url), pollIntervalMs: 60_000 });
      const third = redisLocks({ client: open(server.url), pollIntervalMs: 60_000 });
      const held = await holder.acquire('given-up', { ttlMs: 60_000 });
      const controller = new AbortController();
      const gaveUp = quitter
        .acquire('given-up', { ttlMs: 60_000, signal: controller.signal })
        .catch((e: unknown) => e);
      await sleep(100);
      const next = third.acquire('given-up', { ttlMs: 60_000, waitMs: scaled(3_000) });
      await sleep(100);
      // The release grants the lock to the quitter while it is giving up.
      const releasing = held.release();
      controller.abort(new Error('gave up'));
      await releasing;
      expect(await gaveUp).toEqual(new Error('gave up'));
      const lease = await next.catch((e: unknown) => e);
      expect(LockTimeoutError.isInstance(lease), 'the third waiter is not blocked for the TTL').toBe(false);
      await (lease as { release(): Promise<void> }).release();
      await Promise.all([holder.close(), quitter.close(), third.close()]);
    }, 30_000);
  },
);
