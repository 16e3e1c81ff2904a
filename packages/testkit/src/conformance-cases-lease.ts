import { type Lease, type LockClient, LockLostError } from '@locksmith/core';
import { sleep } from '@locksmith/core/protocol';
import { expect } from 'vitest';
import type { ConformanceCase } from './conformance-case.ts';
import { PROMPT_MS } from './conformance-cases-basic.ts';
import { abortedWithin, type CaseContext, outcome, suiteTtl } from './conformance-context.ts';
import type { ConformanceOptions } from './conformance-options.ts';
import { scaled } from './time-scale.ts';

const SHORT_TTL = 500;
const RENEW_TTL = 1_000;

function loseLeaseHook(c: CaseContext): (lease: Lease) => Promise<void> {
  const hook = c.options.faults?.loseLease;
  if (hook === undefined) {
    throw new Error(
      'options.faults.loseLease is missing: every backend must provide a hook that makes its server forget a held lease, ' +
        'so the suite can show the lost-lease signal (memory: the space hook; Redis: DEL; etcd: lease revoke)',
    );
  }
  return hook;
}

function expectLost(reason: unknown, what: string): void {
  expect(LockLostError.isInstance(reason), `${what}: aborted with ${String(reason)}`).toBe(true);
  expect((reason as LockLostError).code).toBe('LOCK_LOST');
}

async function expectHeldBy(other: LockClient, key: string, what: string): Promise<void> {
  const stolen = await other.tryAcquire(key);
  await stolen?.release();
  expect(stolen, what).toBeUndefined();
}

const ttl = (o: ConformanceOptions, ms: number) => suiteTtl(o, ms);

/** Expiry, renewal, loss, stale release after loss and fencing tokens. */
export const leaseCases: readonly ConformanceCase[] = [
  {
    title:
      'expiry without renewal: another client acquires after the TTL; the old lease.signal aborts with LockLostError',
    timeoutMs: (o) => ttl(o, SHORT_TTL) + scaled(PROMPT_MS * 2),
    async run(c) {
      c.errorsExpected = true;
      const [a, b] = [await c.client(), await c.client()];
      const key = c.key();
      const T = ttl(c.options, SHORT_TTL);
      const lease = await a.acquire(key, { ttlMs: T, autoRenew: false });
      expect(await b.tryAcquire(key)).toBeUndefined();
      const next = await b.acquire(key, { ttlMs: T, waitMs: T + scaled(PROMPT_MS) });
      expectLost(
        await abortedWithin(lease.signal, scaled(PROMPT_MS), 'old lease.signal'),
        'old lease.signal',
      );
      expect(lease.held).toBe(false);
      const extended = await outcome(lease.extend());
      expect(
        !extended.ok && LockLostError.isInstance(extended.error),
        'extend() of a lost lease rejects with LockLostError',
      ).toBe(true);
      await next.release();
    },
  },
  {
    title:
      'renewal keeps a lease past several TTLs (autoRenew default); another client holds only after it reads lost',
    timeoutMs: (o) => ttl(o, RENEW_TTL) * 3 + scaled(PROMPT_MS * 2),
    async run(c) {
      c.errorsExpected = true; // a renewal starved on a loaded machine may lose the lease: allowed, if said
      const [a, b] = [await c.client(), await c.client()];
      const key = c.key();
      const T = ttl(c.options, RENEW_TTL);
      const acquiredAt = performance.now();
      const lease = await a.acquire(key, { ttlMs: T });
      let refusedPastTtl = false;
      while (performance.now() < acquiredAt + 3 * T && lease.held) {
        const checkedAt = performance.now();
        const stolen = await b.tryAcquire(key);
        if (stolen !== undefined) {
          // The contract, not the timing: the server let b in, so a's lease must already read lost.
          expect(lease.held, 'another client holds the key while the renewed lease reads held').toBe(false);
          expect(lease.signal.aborted).toBe(true);
          await stolen.release();
          break;
        }
        if (checkedAt > acquiredAt + T) refusedPastTtl = true;
        await sleep(T / 4);
      }
      expect(refusedPastTtl, 'renewal kept the lease past its first TTL at least once').toBe(true);
      await lease.release();
      const next = await b.tryAcquire(key);
      expect(next).toBeDefined();
      await next?.release();
    },
  },
  {
    title: 'extend() keeps a lease without autoRenew',
    timeoutMs: (o) => ttl(o, RENEW_TTL) * 3 + scaled(PROMPT_MS * 2),
    async run(c) {
      const [a, b] = [await c.client(), await c.client()];
      const key = c.key();
      const T = ttl(c.options, RENEW_TTL);
      c.errorsExpected = true; // a starved process may let the lease run out: allowed, if said
      const acquiredAt = performance.now();
      const lease = await a.acquire(key, { ttlMs: T, autoRenew: false });
      let heldPastTtl = false;
      while (performance.now() < acquiredAt + 3 * T) {
        const extended = await outcome(lease.extend());
        if (!extended.ok) {
          expect(LockLostError.isInstance(extended.error), `extend() failed: ${String(extended.error)}`).toBe(
            true,
          );
          expect(lease.held).toBe(false);
          break;
        }
        const stolen = await b.tryAcquire(key);
        if (stolen !== undefined) {
          expect(lease.held, 'another client holds the key while the extended lease reads held').toBe(false);
          await stolen.release();
          break;
        }
        if (performance.now() > acquiredAt + T) heldPastTtl = true;
        await sleep(T / 4);
      }
      expect(heldPastTtl, 'extend() kept the lease past its first TTL at least once').toBe(true);
      await lease.release();
    },
  },
  {
    title: 'lost lease (faults.loseLease): lease.signal aborts with LockLostError and the client emits error',
    timeoutMs: (o) => ttl(o, RENEW_TTL) * 2 + scaled(PROMPT_MS * 2),
    async run(c) {
      c.errorsExpected = true;
      const loseLease = loseLeaseHook(c);
      const [a, b] = [await c.client(), await c.client()];
      const key = c.key();
      const T = ttl(c.options, RENEW_TTL);
      const lease = await a.acquire(key, { ttlMs: T });
      const signal = lease.signal;
      await loseLease(lease);
      // Bounded by the TTL: no renewal sent after the server forgot the lease succeeds, so one TTL
      // later the lease must read lost, whatever its timers did (a signal 3 s late is a bug).
      const forgotAt = performance.now();
      await sleep(T + 1);
      expect(performance.now() - forgotAt >= T).toBe(true);
      expect(lease.held, 'lease.held one TTL after the server forgot the lease').toBe(false);
      expect(signal.aborted, 'lease.signal.aborted one TTL after the server forgot the lease').toBe(true);
      const reason = await abortedWithin(signal, scaled(PROMPT_MS), 'lease.signal after loseLease');
      expectLost(reason, 'lease.signal');
      expect(lease.held).toBe(false);
      const events = c.seen.filter((e) => e.client === a && e.key === key);
      expect(events.length, "client 'error' events for the lost lease").toBe(1);
      expect(LockLostError.isInstance(events[0]?.error)).toBe(true);
      const extended = await outcome(lease.extend());
      expect(
        !extended.ok && LockLostError.isInstance(extended.error),
        'extend() after loss rejects with LockLostError',
      ).toBe(true);
      const next = await b.tryAcquire(key);
      expect(next, 'the key is free once the backend forgot the lease').toBeDefined();
      await lease.release(); // resolves, and must not free b's lock
      await next?.release();
    },
  },
  {
    title: 'a lost lease’s release never releases the new holder (faults.loseLease)',
    timeoutMs: () => scaled(PROMPT_MS * 2),
    async run(c) {
      c.errorsExpected = true;
      const loseLease = loseLeaseHook(c);
      const [a, b, d] = [await c.client(), await c.client(), await c.client()];
      const key = c.key();
      // A long TTL: a's client must not notice the loss before it releases, so the release reaches the backend.
      const lease = await a.acquire(key, { ttlMs: ttl(c.options, 60_000) });
      await loseLease(lease);
      const next = await b.tryAcquire(key);
      expect(next, 'b takes the key the backend forgot').toBeDefined();
      await lease.release();
      await expectHeldBy(d, key, "a stale lease's release freed the new holder's lock");
      expect(next?.held).toBe(true);
      await next?.release();
    },
  },
  {
    title: 'fencing tokens strictly increase across successive holders',
    timeoutMs: () => scaled(PROMPT_MS * 2),
    async run(c, skip) {
      const clients = [await c.client(), await c.client(), await c.client()];
      const fencing = clients[0]!.capabilities.fencing;
      if (fencing !== 'strict')
        skip(`capabilities.fencing is '${fencing}': tokens are not promised to increase`);
      const key = c.key();
      const tokens: bigint[] = [];
      for (let round = 0; round < 3; round += 1) {
        for (const client of clients) {
          const lease = await client.acquire(key, { waitMs: scaled(PROMPT_MS) });
          tokens.push(lease.token);
          await lease.release();
        }
      }
      const hook = c.options.faults?.loseLease;
      if (hook !== undefined) {
        c.errorsExpected = true;
        const lost = await clients[0]!.acquire(key);
        await hook(lost);
        const taker = await clients[1]!.tryAcquire(key);
        expect(taker, 'the key is free once the backend forgot the lease').toBeDefined();
        tokens.push(lost.token, taker!.token);
        await taker?.release();
      }
      for (let i = 1; i < tokens.length; i += 1)
        expect(tokens[i]! > tokens[i - 1]!, `token ${tokens[i]} > ${tokens[i - 1]}`).toBe(true);
    },
  },
];
