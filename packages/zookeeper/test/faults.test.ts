// Session and queue behaviour on the real ensemble: the predecessor-only watch, protected creates
// after a lost reply (simulated at the client, and real through toxiproxy), session expiry, the
// ttlMs ↔ session timeout rule, container parents that go with their last lock.
import { fileURLToPath } from 'node:url';
import { toxics } from '@locksmith/backends';
import { BackendUnavailableError, InvalidArgumentError, type Lease, LockLostError } from '@locksmith/core';
import { eventually } from '@locksmith/test-utils';
import { spawnHolder } from '@locksmith/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { type ZooKeeperClient, zookeeperLockPath, zookeeperLocks } from '../src/index.ts';
import {
  connect,
  expireSession,
  REQUIRED,
  skipFor,
  type TestZooKeeper,
  testPrefix,
  ZOOKEEPER_HOSTS,
} from './servers.ts';
import { childrenOf, exists } from './zk-calls.ts';

const prefix = testPrefix('faults');
const skip = await skipFor();
const opened: TestZooKeeper[] = [];
afterAll(() => {
  for (const c of opened) c.close();
});

async function session(options: Parameters<typeof connect>[0] = {}): Promise<TestZooKeeper> {
  const client = await connect(options);
  opened.push(client);
  return client;
}

/** A view of `client` that counts the calls locksmith makes (the real client still runs them). */
function counted(client: TestZooKeeper): { client: ZooKeeperClient; calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const view = Object.create(client) as Record<string, unknown>;
  for (const name of ['a_create', 'a_get_children', 'a_exists', 'aw_get', 'a_delete_']) {
    const real = (client as unknown as Record<string, (...args: unknown[]) => number>)[name] as (
      ...args: unknown[]
    ) => number;
    view[name] = (...args: unknown[]) => {
      calls[name] = (calls[name] ?? 0) + 1;
      return real.apply(client, args);
    };
  }
  return { client: view as unknown as ZooKeeperClient, calls };
}

function abortedWith(signal: AbortSignal): Promise<unknown> {
  return signal.aborted
    ? Promise.resolve(signal.reason)
    : new Promise((resolve) =>
        signal.addEventListener('abort', () => resolve(signal.reason), { once: true }),
      );
}

describe.skipIf(skip !== undefined && !REQUIRED)(
  `zookeeper sessions and faults${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it('each waiter watches only its predecessor: a release wakes one waiter, and no waiter writes until granted', async () => {
      if (skip) throw new Error(skip);
      const holder = zookeeperLocks({ client: await session(), prefix });
      const held = await holder.acquire('herd', { ttlMs: 20_000 });
      const waiters = await Promise.all([1, 2, 3].map(async () => counted(await session())));
      const locks = waiters.map((w) => zookeeperLocks({ client: w.client, prefix }));
      const reader = await session();
      const pending: Promise<Lease>[] = [];
      for (const [i, l] of locks.entries()) {
        pending.push(l.acquire('herd', { ttlMs: 20_000 }));
        await eventually(
          async () => (await childrenOf(reader, zookeeperLockPath(prefix, 'herd'))).length === i + 2,
          10_000,
          `waiter ${i} queued`,
        );
      }
      await held.release();
      for (const p of pending) await (await p).release(); // in queue order: each hands over to the next
      // The first waiter watched the holder, the last node ahead of it: granted on its delete, no read.
      expect(waiters[0]?.calls.a_get_children).toBe(1);
      for (const { calls } of waiters) {
        // One queue read at enqueue and at most one after its predecessor went (none when that was
        // the last node ahead): never woken by another's release.
        expect(calls.a_get_children).toBeGreaterThanOrEqual(1);
        expect(calls.a_get_children).toBeLessThanOrEqual(2);
        expect(calls.aw_get).toBe(1);
        // One create and one delete (its release): nothing written while it waited.
        expect(calls.a_create).toBe(1);
        expect(calls.a_delete_).toBe(1);
      }
      await Promise.all([holder.close(), ...locks.map((l) => l.close())]);
    });

    it("the token is the node's czxid; an uncontended re-acquire reads it along with its create (predicted name)", async () => {
      if (skip) throw new Error(skip);
      const reader = await session();
      const { client, calls } = counted(await session());
      const locks = zookeeperLocks({ client, prefix });
      const lockPath = zookeeperLockPath(prefix, 'czxid');
      const czxidOf = async () => {
        // Synced reads, retried: a sync that timed out on a loaded host leaves the reader behind.
        let name: string | undefined;
        await eventually(
          async () => {
            [name] = await childrenOf(reader, lockPath);
            return name !== undefined;
          },
          5_000,
          `a node under ${lockPath}`,
        );
        return new Promise<bigint>((resolve, reject) =>
          reader.a_exists(`${lockPath}/${name}`, false, (rc, error, stat) =>
            rc === 0 && stat ? resolve(BigInt(stat.czxid)) : reject(new Error(String(error))),
          ),
        );
      };
      const first = await locks.acquire('czxid', { ttlMs: 20_000 });
      expect(first.token).toBe(await czxidOf());
      await first.release();
      const before = { ...calls };
      const rounds = [1, 2, 3];
      const tokens = [first.token];
      for (const _ of rounds) {
        const lease = await locks.acquire('czxid', { ttlMs: 20_000 });
        expect(lease.token).toBe(await czxidOf());
        tokens.push(lease.token);
        await lease.release();
      }
      expect(tokens.every((t, i) => i === 0 || t > (tokens[i - 1] as bigint))).toBe(true);
      // One create and one exists per re-acquire, the exists sent along with the create.
      expect((calls.a_exists ?? 0) - (before.a_exists ?? 0)).toBe(3);
      expect((calls.a_create ?? 0) - (before.a_create ?? 0)).toBe(3);
      await locks.close();
    });

    it('a create whose reply is lost is found again by its tag and adopted: one node, held', async () => {
      if (skip) throw new Error(skip);
      const real = await session();
      // The server runs the first create; its reply is replaced by a connection loss.
      const view = Object.create(real) as ZooKeeperClient;
      let lost = 0;
      view.a_create = (path, data, flags, cb) =>
        real.a_create(path, data, flags, (rc, error, created) => {
          if (flags === 3 && lost === 0) {
            lost += 1;
            cb(-4, 'connection loss', '');
          } else cb(rc, error, created);
        });
      const locks = zookeeperLocks({ client: view, prefix });
      const lease = await locks.acquire('lost-create', { ttlMs: 20_000 });
      const children = await childrenOf(real, zookeeperLockPath(prefix, 'lost-create'));
      expect(lost).toBe(1);
      expect(children).toHaveLength(1); // not a second node behind an orphan of my own
      await lease.release();
      expect(await childrenOf(real, zookeeperLockPath(prefix, 'lost-create'))).toEqual([]);
      await locks.close();
    });

    it('a reply really lost on the wire (connections cut while the reply is delayed) leaves no orphan', async () => {
      if (skip) throw new Error(skip);
      const proxied = process.env.LOCKSMITH_ZOOKEEPER_PROXY_HOSTS;
      if (proxied === undefined)
        throw new Error('LOCKSMITH_ZOOKEEPER_PROXY_HOSTS is not set (toxiproxy is not up)');
      const net = toxics('zookeeper');
      const reader = await session();
      const client = await session({ hosts: proxied, timeout: 30_000 });
      const locks = zookeeperLocks({ client, prefix });
      const lockPath = zookeeperLockPath(prefix, 'wire');
      try {
        // Replies are delayed 2 s: the create runs on the server, then every connection is cut
        // before its reply gets through; the client reconnects once the proxies are back.
        await net.latency(2_000, { streams: ['downstream'] });
        const acquiring = locks.acquire('wire', { ttlMs: 20_000, waitMs: 25_000 });
        await eventually(
          async () => (await childrenOf(reader, lockPath)).length === 1,
          10_000,
          'the create ran',
        );
        await net.cut();
        await new Promise((resolve) => setTimeout(resolve, 300));
        await net.reset();
        const lease = await acquiring;
        expect(await childrenOf(reader, lockPath)).toHaveLength(1);
        await lease.release();
        expect(await childrenOf(reader, lockPath)).toEqual([]);
      } finally {
        await net.reset();
        await locks.close();
      }
    }, 60_000);

    it('a session expiry loses every lease of the client at once, through lease.signal', async () => {
      if (skip) throw new Error(skip);
      const client = await session();
      const locks = zookeeperLocks({ client, prefix });
      const errors: unknown[] = [];
      locks.on('error', (e) => errors.push(e));
      const [a, b] = [
        await locks.acquire('expire-a', { ttlMs: 20_000 }),
        await locks.acquire('expire-b', { ttlMs: 20_000 }),
      ];
      await expireSession(client);
      const [ra, rb] = await Promise.all([abortedWith(a.signal), abortedWith(b.signal)]);
      expect(LockLostError.isInstance(ra) && LockLostError.isInstance(rb)).toBe(true);
      expect(errors).toHaveLength(2);
      await expect(locks.acquire('expire-a', { waitMs: 1_000 })).rejects.toSatisfy(
        BackendUnavailableError.isInstance,
      );
      const other = zookeeperLocks({ client: await session(), prefix });
      const next = await other.acquire('expire-a', { ttlMs: 20_000, waitMs: 10_000 });
      expect(next.token > a.token).toBe(true);
      await next.release();
      await Promise.all([locks.close(), other.close()]);
    });

    it('a partition: the lease is reported lost before another client can take the lock', async () => {
      if (skip) throw new Error(skip);
      const proxied = process.env.LOCKSMITH_ZOOKEEPER_PROXY_HOSTS;
      if (proxied === undefined)
        throw new Error('LOCKSMITH_ZOOKEEPER_PROXY_HOSTS is not set (toxiproxy is not up)');
      const net = toxics('zookeeper');
      const client = await session({ hosts: proxied, timeout: 4_000 });
      const locks = zookeeperLocks({ client, prefix });
      locks.on('error', () => undefined);
      const rival = zookeeperLocks({ client: await session(), prefix });
      try {
        const lease = await locks.acquire('partition', { ttlMs: 4_000 });
        await net.blackhole(); // connections stay open, nothing passes: no ping reaches the server
        const next = await rival.acquire('partition', { ttlMs: 4_000, waitMs: 30_000 });
        // The server expired the session; the holder had already read its lease as lost.
        expect(lease.signal.aborted, 'lost before the rival held the lock').toBe(true);
        expect(LockLostError.isInstance(lease.signal.reason)).toBe(true);
        expect(next.token > lease.token).toBe(true);
        await next.release();
      } finally {
        await net.reset();
        await Promise.all([locks.close(), rival.close()]);
      }
    }, 60_000);

    it('a holder process stopped (SIGSTOP) past its session: another takes the lock; resumed, the holder reads its lease lost', async () => {
      if (skip) throw new Error(skip);
      const holder = await spawnHolder({
        module: fileURLToPath(new URL('./holder-client.ts', import.meta.url)),
        exportName: 'createZooKeeper',
        env: { LOCKSMITH_TEST_PREFIX: prefix, LOCKSMITH_ZOOKEEPER_HOSTS: ZOOKEEPER_HOSTS },
        key: 'stopped',
        ttlMs: 2_000, // its session timeout follows (holder-client.ts)
      });
      const rival = zookeeperLocks({ client: await session(), prefix });
      try {
        holder.child.kill('SIGSTOP'); // no ping, no renewal: the server expires its session
        const next = await rival.acquire('stopped', { ttlMs: 20_000, waitMs: 30_000 });
        expect(next.token > holder.token).toBe(true);
        holder.child.kill('SIGCONT');
        await eventually(
          async () => holder.lines.some((l) => l.startsWith('LOST')),
          15_000,
          'the holder read LOST',
        );
        await next.release();
      } finally {
        holder.child.kill('SIGCONT');
        await holder.kill();
        await rival.close();
      }
    }, 60_000);

    it('a ttlMs longer than the negotiated session timeout is refused with InvalidArgumentError, writing nothing', async () => {
      if (skip) throw new Error(skip);
      const client = await session({ timeout: 4_000 });
      const locks = zookeeperLocks({ client, prefix });
      const error = await locks.acquire('too-long', { ttlMs: 30_000 }).catch((e: unknown) => e);
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).argument).toBe('options.ttlMs');
      expect((error as Error).message).toMatch(/4000 ms/);
      expect(await exists(client, zookeeperLockPath(prefix, 'too-long'))).toBe(false);
      const ok = await locks.acquire('too-long', { ttlMs: client.timeout });
      await ok.release();
      await locks.close();
    });

    it('lock parents are container nodes: the server removes them once their last lock is gone', async () => {
      if (skip) throw new Error(skip);
      const client = await session();
      const locks = zookeeperLocks({ client, prefix: `${prefix}/containers` });
      const lease = await locks.acquire('swept', { ttlMs: 20_000 });
      const lockPath = zookeeperLockPath(`${prefix}/containers`, 'swept');
      expect(await exists(client, lockPath)).toBe(true);
      await lease.release();
      // The launcher sweeps containers every second (ZooKeeper's default is a minute).
      await eventually(
        async () => !(await exists(client, lockPath)),
        20_000,
        'the empty lock node was removed',
      );
      await eventually(
        async () => !(await exists(client, `${prefix}/containers`)),
        20_000,
        'the empty prefix node was removed',
      );
      // And a lock on a swept path makes its parents again.
      const again = await locks.acquire('swept', { ttlMs: 20_000 });
      await again.release();
      await locks.close();
    }, 60_000);

    it('a try on a busy lock writes nothing', async () => {
      if (skip) throw new Error(skip);
      const holder = zookeeperLocks({ client: await session(), prefix });
      const held = await holder.acquire('busy-try', { ttlMs: 20_000 });
      const { client, calls } = counted(await session());
      const other = zookeeperLocks({ client, prefix });
      expect(await other.tryAcquire('busy-try', { ttlMs: 20_000 })).toBeUndefined();
      expect(calls.a_create ?? 0).toBe(0);
      await held.release();
      await Promise.all([holder.close(), other.close()]);
    });
  },
);
