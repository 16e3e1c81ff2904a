// Sessions, waiting and faults on the real cluster: one session per TTL shared by the client's
// locks, an operator's session/destroy ending every lock under it, lock-delay, the fencing token,
// a lost acquire reply, and waiters that block instead of polling.
import { LockLostError, LockTimeoutError } from '@locksmith/core';
import { sleep } from '@locksmith/core/protocol';
import type Consul from 'consul';
import { afterAll, describe, expect, it } from 'vitest';
import { consulLockKey, consulLocks } from '../src/index.ts';
import { destroySessionOf, sessionOf } from './lose-lease.ts';
import { connect, REQUIRED, skipFor, testPrefix } from './servers.ts';

const prefix = testPrefix('faults');
const skip = await skipFor();
const client = connect();
afterAll(() => client.destroy());

type Entry = { Session?: string; ModifyIndex: number; LockIndex: number } | undefined;
const entry = async (key: string) => (await client.kv.get(consulLockKey(prefix, key))) as Entry;

function abortedWith(signal: AbortSignal): Promise<unknown> {
  return signal.aborted
    ? Promise.resolve(signal.reason)
    : new Promise((resolve) =>
        signal.addEventListener('abort', () => resolve(signal.reason), { once: true }),
      );
}

/** The real client with one method wrapped (the server still answers every call). */
function wrapped<K extends 'session' | 'transaction' | 'kv'>(
  part: K,
  method: string,
  wrap: (original: (...args: unknown[]) => Promise<unknown>, ...args: unknown[]) => Promise<unknown>,
): Consul {
  const copy = Object.create(client) as Consul;
  const inner = client[part] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const replaced = Object.create(inner) as Record<string, unknown>;
  const original = (inner[method] as (...args: unknown[]) => Promise<unknown>).bind(inner);
  replaced[method] = (...args: unknown[]) => wrap(original, ...args);
  Object.defineProperty(copy, part, { value: replaced });
  return copy;
}

describe.skipIf(skip !== undefined && !REQUIRED)(
  `consul sessions and faults${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it('locks of one TTL share one session; locks of another TTL get their own', async () => {
      if (skip) throw new Error(skip);
      const locks = consulLocks({ client, prefix });
      const a = await locks.acquire('share-a', { ttlMs: 3_000 });
      const b = await locks.acquire('share-b', { ttlMs: 3_000 });
      const c = await locks.acquire('share-c', { ttlMs: 5_000 });
      const [sa, sb, sc] = [
        await sessionOf(client, prefix, a),
        await sessionOf(client, prefix, b),
        await sessionOf(client, prefix, c),
      ];
      expect(sa).toBe(sb);
      expect(sc).not.toBe(sa);
      const info = (await client.session.info(sc)) as { TTL: string; Behavior: string };
      expect(info).toMatchObject({ TTL: '5s', Behavior: 'delete' });
      for (const lease of [a, b, c]) await lease.release();
      expect(await entry('share-a')).toBeUndefined(); // a release deletes the key
      await locks.close();
      expect(await client.session.info(sa)).toBeUndefined(); // close() destroyed our sessions
    });

    it('renewing many locks costs one session renew per period, not one per lock', async () => {
      if (skip) throw new Error(skip);
      let renews = 0;
      const counted = wrapped('session', 'renew', (original, ...args) => {
        renews += 1;
        return original(...args);
      });
      const locks = consulLocks({ client: counted, prefix });
      const leases = await Promise.all(
        Array.from({ length: 20 }, (_, i) => locks.acquire(`many-${i}`, { ttlMs: 1_500 })),
      );
      renews = 0;
      await sleep(3_000); // six renewal periods (TTL/3)
      expect(leases.every((l) => l.held)).toBe(true);
      // 20 locks × 6 periods would be 120 one-per-lock; one per period is 6 (a few more if a tick splits).
      expect(renews).toBeGreaterThan(0);
      expect(renews).toBeLessThanOrEqual(12);
      await Promise.all(leases.map((l) => l.release()));
      await locks.close();
    });

    it('an operator’s session/destroy ends every lock of the session, each through its signal', async () => {
      if (skip) throw new Error(skip);
      const locks = consulLocks({ client, prefix, lockDelayMs: 0 });
      const errors: unknown[] = [];
      locks.on('error', (e) => errors.push(e));
      const a = await locks.acquire('loss-a', { ttlMs: 3_000 });
      const b = await locks.acquire('loss-b', { ttlMs: 3_000 });
      const dead = await sessionOf(client, prefix, a);
      await destroySessionOf(client, prefix, a);
      const [ra, rb] = await Promise.all([abortedWith(a.signal), abortedWith(b.signal)]);
      expect(LockLostError.isInstance(ra) && LockLostError.isInstance(rb)).toBe(true);
      expect(errors).toHaveLength(2);
      expect(await entry('loss-b')).toBeUndefined(); // Behavior: delete
      // A new acquisition creates a new session rather than reusing the dead one.
      const again = await locks.acquire('loss-a', { ttlMs: 3_000, waitMs: 5_000 });
      expect(again.token > a.token).toBe(true);
      expect(await sessionOf(client, prefix, again)).not.toBe(dead);
      await again.release();
      await locks.close();
    });

    it('default lock-delay: after a session/destroy, another client holds the key only once the old lease reads lost', async () => {
      if (skip) throw new Error(skip);
      const [holder, rival] = [consulLocks({ client, prefix }), consulLocks({ client, prefix })];
      const lease = await holder.acquire('delay', { ttlMs: 2_000 });
      await destroySessionOf(client, prefix, lease);
      const next = await rival.acquire('delay', { ttlMs: 2_000, waitMs: 15_000 });
      expect(lease.held, 'the old lease must read lost before anyone else holds the key').toBe(false);
      expect(lease.signal.aborted).toBe(true);
      expect(next.token > lease.token).toBe(true);
      await next.release();
      await Promise.all([holder.close(), rival.close()]);
    });

    it('lockDelayMs: 0 lets the next holder in while the old lease still reads held (the fence must decide)', async () => {
      if (skip) throw new Error(skip);
      const [holder, rival] = [
        consulLocks({ client, prefix, lockDelayMs: 0 }),
        consulLocks({ client, prefix }),
      ];
      const lease = await holder.acquire('no-delay', { ttlMs: 30_000 });
      await destroySessionOf(client, prefix, lease);
      const next = await rival.tryAcquire('no-delay');
      expect(next).toBeDefined();
      expect(lease.held, 'no renewal has run yet: the holder cannot know').toBe(true);
      expect((next?.token ?? 0n) > lease.token, 'the fence rejects the old holder').toBe(true);
      await next?.release();
      await Promise.all([holder.close(), rival.close()]);
    });

    it('the token is the key’s ModifyIndex: it increases across holders although LockIndex restarts with each new key', async () => {
      if (skip) throw new Error(skip);
      const [a, b] = [consulLocks({ client, prefix }), consulLocks({ client, prefix })];
      const tokens: bigint[] = [];
      const lockIndexes: number[] = [];
      for (const locks of [a, b, a, b]) {
        const lease = await locks.acquire('fence', { waitMs: 5_000 });
        tokens.push(lease.token);
        lockIndexes.push((await entry('fence'))?.LockIndex ?? -1);
        await lease.release(); // deletes the key: the next lock creates it anew
      }
      for (let i = 1; i < tokens.length; i += 1)
        expect((tokens[i] as bigint) > (tokens[i - 1] as bigint)).toBe(true);
      // LockIndex counts locks of one key's life only: as a token it would repeat.
      expect(lockIndexes).toEqual([1, 1, 1, 1]);
      await Promise.all([a.close(), b.close()]);
    });

    it('an acquire whose reply is lost (applied on the server) does not leave the key held by the live session', async () => {
      if (skip) throw new Error(skip);
      let lose = false;
      const lossy = wrapped('transaction', 'create', async (original, ...args) => {
        const reply = await original(...args);
        if (lose) {
          lose = false;
          throw new Error('socket hang up (test: reply lost after the server applied the request)');
        }
        return reply;
      });
      const locks = consulLocks({ client: lossy, prefix });
      const other = await locks.acquire('lost-other', { ttlMs: 3_000 }); // keeps the session renewed
      lose = true;
      await expect(locks.tryAcquire('lost-reply', { ttlMs: 3_000 })).rejects.toThrow(/hang up/);
      // The clean-up unlocks and deletes it while the session lives (it does: `other` renews it).
      const until = performance.now() + 10_000;
      while ((await entry('lost-reply')) !== undefined && performance.now() < until) await sleep(50);
      expect(await entry('lost-reply')).toBeUndefined();
      expect(other.held).toBe(true);
      const rival = consulLocks({ client, prefix });
      const taken = await rival.tryAcquire('lost-reply');
      expect(taken).toBeDefined();
      await taken?.release();
      // A waiting acquire rides through a lost reply: its next try locks again for the same
      // session (Consul's lock is re-entrant per session), so the key is held once, by this lease.
      lose = true;
      const lease = await locks.acquire('lost-reply', { ttlMs: 3_000, waitMs: 10_000 });
      expect((await entry('lost-reply'))?.ModifyIndex).toBe(Number(lease.token));
      await lease.release();
      expect(await entry('lost-reply')).toBeUndefined();
      await other.release();
      await Promise.all([locks.close(), rival.close()]);
    });

    it('one client never holds a key twice (Consul’s lock is re-entrant per session): the second acquire waits', async () => {
      if (skip) throw new Error(skip);
      const locks = consulLocks({ client, prefix });
      const first = await locks.acquire('twice');
      expect(await locks.tryAcquire('twice')).toBeUndefined();
      const second = locks.acquire('twice', { waitMs: 5_000 });
      await sleep(200);
      expect(first.held).toBe(true);
      await first.release();
      const next = await second;
      expect(next.token > first.token).toBe(true);
      await next.release();
      await locks.close();
    });

    it('a waiter blocks on the key (no polling) and a timed-out waiter leaves nothing behind', async () => {
      if (skip) throw new Error(skip);
      let reads = 0;
      const counted = wrapped('kv', 'get', (original, ...args) => {
        reads += 1;
        return original(...args);
      });
      const [holder, waiter] = [consulLocks({ client, prefix }), consulLocks({ client: counted, prefix })];
      const held = await holder.acquire('block', { ttlMs: 30_000 });
      await expect(waiter.acquire('block', { waitMs: 2_000 })).rejects.toSatisfy(LockTimeoutError.isInstance);
      // One read to learn the index, then one blocking query that was still open at the timeout.
      expect(reads).toBeLessThanOrEqual(2);
      await waiter.close();
      expect((await entry('block'))?.ModifyIndex).toBe(Number(held.token));
      await held.release();
      expect(await entry('block')).toBeUndefined();
      await holder.close();
    });

    it('extend() past the session TTL moves the lock to a session of the longer TTL, keeping the token', async () => {
      if (skip) throw new Error(skip);
      const locks = consulLocks({ client, prefix });
      const lease = await locks.acquire('longer', { ttlMs: 2_000, autoRenew: false });
      const before = await sessionOf(client, prefix, lease);
      await lease.extend(6_000);
      const after = (await entry('longer'))?.Session;
      expect(after).toBeDefined();
      expect(after).not.toBe(before);
      expect(((await client.session.info(after as string)) as { TTL: string }).TTL).toBe('6s');
      expect(lease.held).toBe(true);
      await lease.release();
      expect(await entry('longer')).toBeUndefined();
      await locks.close();
    });
  },
);
