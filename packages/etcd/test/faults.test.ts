// Session behaviour on the real cluster: one lease per TTL shared by the client's locks, its loss
// ending every lock under it, waiters leaving the queue, and the predecessor re-check.
import { BackendUnavailableError, LockLostError, LockTimeoutError } from '@locksmith/core';
import type { Etcd3 } from 'etcd3';
import { afterAll, describe, expect, it } from 'vitest';
import { takeOnce, waitForPredecessor } from '../src/etcd-queue.ts';
import { etcdLockPrefix, etcdLocks } from '../src/index.ts';
import { revokeLeaseOf } from './lose-lease.ts';
import { connect, REQUIRED, skipFor, testPrefix } from './servers.ts';

const prefix = testPrefix('faults');
const skip = await skipFor();
const client = connect();
afterAll(() => client.close());

async function entries(c: Etcd3, key: string) {
  return (await c.getAll().prefix(etcdLockPrefix(prefix, key)).exec()).kvs;
}

function abortedWith(signal: AbortSignal): Promise<unknown> {
  return signal.aborted
    ? Promise.resolve(signal.reason)
    : new Promise((resolve) =>
        signal.addEventListener('abort', () => resolve(signal.reason), { once: true }),
      );
}

describe.skipIf(skip !== undefined && !REQUIRED)(
  `etcd sessions and faults${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it('locks of one TTL share one lease; locks of another TTL get their own', async () => {
      if (skip) throw new Error(skip);
      const locks = etcdLocks({ client, prefix });
      const a = await locks.acquire('share-a', { ttlMs: 3_000 });
      const b = await locks.acquire('share-b', { ttlMs: 3_000 });
      const c = await locks.acquire('share-c', { ttlMs: 5_000 });
      const [ea, eb, ec] = [
        await entries(client, 'share-a'),
        await entries(client, 'share-b'),
        await entries(client, 'share-c'),
      ];
      expect(ea[0]?.lease).toBe(eb[0]?.lease);
      expect(ec[0]?.lease).not.toBe(ea[0]?.lease);
      const ttl = await client.leaseClient.leaseTimeToLive({ ID: ec[0]?.lease as string });
      expect(Number(ttl.grantedTTL)).toBe(5);
      for (const lease of [a, b, c]) await lease.release();
      await locks.close();
    });

    it('renewing many locks costs one keep-alive per session per renewal, not one per lock', async () => {
      if (skip) throw new Error(skip);
      let keepAlives = 0;
      // A counting wrapper around the real client's keep-alive RPC (the server still answers it).
      const counted = Object.create(client) as Etcd3;
      const leaseClient = Object.create(client.leaseClient) as Etcd3['leaseClient'];
      leaseClient.leaseKeepAlive = (...args) => {
        keepAlives += 1;
        return client.leaseClient.leaseKeepAlive(...args);
      };
      Object.defineProperty(counted, 'leaseClient', { value: leaseClient });
      Object.defineProperty(counted, 'close', { value: () => undefined });
      const locks = etcdLocks({ client: counted, prefix });
      const leases = await Promise.all(
        Array.from({ length: 20 }, (_, i) => locks.acquire(`many-${i}`, { ttlMs: 1_500 })),
      );
      keepAlives = 0;
      await new Promise((resolve) => setTimeout(resolve, 3_000)); // six renewal periods (TTL/3)
      expect(leases.every((l) => l.held)).toBe(true);
      // 20 locks × 6 periods would be 120 one-per-lock; one per period is 6 (a few more if a tick splits).
      expect(keepAlives).toBeGreaterThan(0);
      expect(keepAlives).toBeLessThanOrEqual(12);
      await Promise.all(leases.map((l) => l.release()));
      await locks.close();
    });

    it('losing the session lease ends every lock under it at once, each through its signal', async () => {
      if (skip) throw new Error(skip);
      const locks = etcdLocks({ client, prefix });
      const errors: unknown[] = [];
      locks.on('error', (e) => errors.push(e));
      const a = await locks.acquire('loss-a', { ttlMs: 3_000 });
      const b = await locks.acquire('loss-b', { ttlMs: 3_000 });
      await revokeLeaseOf(client, prefix, a);
      const [ra, rb] = await Promise.all([abortedWith(a.signal), abortedWith(b.signal)]);
      expect(LockLostError.isInstance(ra) && LockLostError.isInstance(rb)).toBe(true);
      expect(errors).toHaveLength(2);
      // A new acquisition grants a new session rather than reusing the dead lease.
      const again = await locks.acquire('loss-a', { ttlMs: 3_000, waitMs: 2_000 });
      expect(again.token > a.token).toBe(true);
      await again.release();
      await locks.close();
    });

    it('a try that finds the lock busy writes nothing (no enqueue-then-delete)', async () => {
      if (skip) throw new Error(skip);
      const [holder, other] = [etcdLocks({ client, prefix }), etcdLocks({ client, prefix })];
      const held = await holder.acquire('busy-try');
      const revision = async () => BigInt((await client.kv.range({ key: Buffer.from('x') })).header.revision);
      const before = await revision();
      expect(await other.tryAcquire('busy-try')).toBeUndefined();
      expect(await revision()).toBe(before);
      await held.release();
      await Promise.all([holder.close(), other.close()]);
    });

    it('an acquire after the idle session lease was revoked behind its back takes a new session', async () => {
      if (skip) throw new Error(skip);
      const locks = etcdLocks({ client, prefix });
      const first = await locks.acquire('idle-revoked', { ttlMs: 30_000 });
      const leaseId = (await entries(client, 'idle-revoked'))[0]?.lease as string;
      await first.release();
      await client.leaseClient.leaseRevoke({ ID: leaseId }); // no held lock: no keep-alive will notice
      const second = await locks.acquire('idle-revoked', { ttlMs: 30_000, waitMs: 5_000 });
      expect((await entries(client, 'idle-revoked'))[0]?.lease).not.toBe(leaseId);
      await second.release();
      await locks.close();
    });

    it('a waiter that times out or is aborted leaves the queue', async () => {
      if (skip) throw new Error(skip);
      const [holder, waiter] = [etcdLocks({ client, prefix }), etcdLocks({ client, prefix })];
      const held = await holder.acquire('leave');
      await expect(waiter.acquire('leave', { waitMs: 300 })).rejects.toSatisfy(LockTimeoutError.isInstance);
      const controller = new AbortController();
      const aborted = waiter.acquire('leave', { signal: controller.signal });
      setTimeout(() => controller.abort(new Error('stop')), 200);
      await expect(aborted).rejects.toThrow('stop');
      expect(await waiter.tryAcquire('leave')).toBeUndefined();
      await waiter.close(); // waits for the queue clean-up
      expect((await entries(client, 'leave')).map((kv) => kv.create_revision)).toEqual([String(held.token)]);
      await held.release();
      await holder.close();
    });

    it('a waiter whose session lease is revoked fails instead of waiting forever', async () => {
      if (skip) throw new Error(skip);
      const [holder, waiter] = [etcdLocks({ client, prefix }), etcdLocks({ client, prefix })];
      const held = await holder.acquire('orphan', { ttlMs: 1_500 });
      const waiting = waiter.acquire('orphan', { ttlMs: 1_500 });
      let queued = await entries(client, 'orphan');
      while (queued.length < 2) queued = await entries(client, 'orphan');
      const mine = queued.find((kv) => kv.create_revision !== String(held.token));
      await client.leaseClient.leaseRevoke({ ID: mine?.lease as string });
      await expect(waiting).rejects.toSatisfy(BackendUnavailableError.isInstance);
      expect(held.held).toBe(true);
      await held.release();
      await Promise.all([holder.close(), waiter.close()]);
    });

    it('the predecessor check compares create revisions: an entry re-created under the same key is not the one I wait for', async () => {
      if (skip) throw new Error(skip);
      const key = `${etcdLockPrefix(prefix, 'recreated')}entry`;
      await client.put(key).value('');
      const [old] = await entries(client, 'recreated');
      await client.delete().key(key);
      await client.put(key).value(''); // same name, a later create revision: it queues behind me
      const outcome = await waitForPredecessor(
        client,
        { key, createRevision: BigInt(old?.create_revision as string) },
        performance.now() + 60_000,
        () => performance.now(),
        new AbortController().signal,
      );
      expect(outcome).toBe('gone'); // an existence check would wait here for a contender behind me
      await client.delete().key(key);
    });

    it('extend() past the session TTL moves the entry to a lease of the longer TTL', async () => {
      if (skip) throw new Error(skip);
      const locks = etcdLocks({ client, prefix });
      const lease = await locks.acquire('longer', { ttlMs: 2_000, autoRenew: false });
      const before = (await entries(client, 'longer'))[0];
      await lease.extend(6_000);
      const after = (await entries(client, 'longer'))[0];
      expect(after?.create_revision).toBe(before?.create_revision);
      expect(after?.lease).not.toBe(before?.lease);
      const ttl = await client.leaseClient.leaseTimeToLive({ ID: after?.lease as string });
      expect(Number(ttl.grantedTTL)).toBeGreaterThanOrEqual(6);
      expect(lease.held).toBe(true);
      await lease.release();
      expect(await entries(client, 'longer')).toEqual([]);
      await locks.close();
    });
  },
);

describe.skipIf(skip !== undefined && !REQUIRED)(
  `etcd enqueue txn sent twice${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    // etcd3 re-sends a request after a connection failure, also when etcd had applied it.
    it('a repeated enqueue keeps my create revision and still sees the entry ahead of me', async () => {
      if (skip) throw new Error(skip);
      const lease = await client.leaseClient.leaseGrant({ TTL: 10 });
      const prefix2 = etcdLockPrefix(prefix, 'twice');
      await client.put(`${prefix2}a`).value(''); // someone ahead of me
      const entry = { prefix: prefix2, key: `${prefix2}me`, value: Buffer.alloc(0) };
      const first = await takeOnce(client, entry, lease.ID, 1);
      const second = await takeOnce(client, entry, lease.ID, 1);
      expect(second?.mine).toEqual(first?.mine);
      expect(second?.sorted.map((c) => c.key)).toEqual([`${prefix2}a`, `${prefix2}me`]);
      await client.delete().key(`${prefix2}a`);
      const free = {
        prefix: etcdLockPrefix(prefix, 'twice-try'),
        key: `${etcdLockPrefix(prefix, 'twice-try')}me`,
        value: Buffer.alloc(0),
      };
      const tried = await takeOnce(client, free, lease.ID, 1, true);
      const triedAgain = await takeOnce(client, free, lease.ID, 1, true);
      expect(tried).toBeDefined();
      expect(triedAgain?.mine, 'a repeated try finds its own entry, not a busy lock').toEqual(tried?.mine);
      await client.leaseClient.leaseRevoke({ ID: lease.ID });
    });
  },
);
