import { LockTimeoutError } from '@locksmith/core';
import { sleep } from '@locksmith/core/protocol';
import { expect } from 'vitest';
import type { ConformanceCase } from './conformance-case.ts';
import { outcome } from './conformance-context.ts';
import { OverlapDetector } from './overlap-detector.ts';
import { scaled } from './time-scale.ts';

/** Upper bound for anything that should happen "at once" (a free lock, a handoff, a rejection). */
export const PROMPT_MS = 10_000;

/** Mutual exclusion, tryAcquire, waitMs, abort, reentrancy and independent keys. */
export const basicCases: readonly ConformanceCase[] = [
  {
    title: 'mutual exclusion: 3 clients × 20 acquisitions never overlap',
    timeoutMs: () => scaled(60_000),
    async run(c) {
      const clients = await Promise.all([c.client(), c.client(), c.client()]);
      const key = c.key();
      const detector = new OverlapDetector();
      const tokens: bigint[] = [];
      await Promise.all(
        clients.map(async (client, n) => {
          for (let i = 0; i < 20; i += 1) {
            const lease = await client.acquire(key, { waitMs: scaled(30_000) });
            detector.enter(`${n}/${i}`);
            tokens.push(lease.token);
            await sleep(0); // give a broken lock the chance to let someone else in
            detector.exit(`${n}/${i}`);
            await lease.release();
          }
        }),
      );
      expect(detector.overlaps, 'holders inside the critical section at once').toBe(0);
      expect(detector.entries).toBe(60);
      if (clients[0]!.capabilities.fencing === 'strict') {
        for (let i = 1; i < tokens.length; i += 1)
          expect(tokens[i]! > tokens[i - 1]!, `token ${i} > token ${i - 1}`).toBe(true);
      }
    },
  },
  {
    title: 'tryAcquire while held resolves undefined; after release it resolves a lease',
    timeoutMs: () => scaled(PROMPT_MS),
    async run(c) {
      const [a, b] = [await c.client(), await c.client()];
      const key = c.key();
      const lease = await a.acquire(key);
      expect(lease.key).toBe(key);
      expect(typeof lease.token).toBe('bigint');
      expect(lease.held).toBe(true);
      expect(lease.signal.aborted).toBe(false);
      expect(await b.tryAcquire(key)).toBeUndefined();
      await lease.release();
      expect(lease.held).toBe(false);
      const next = await b.tryAcquire(key);
      expect(next?.key).toBe(key);
      await next?.release();
    },
  },
  {
    title:
      'waitMs timeout: acquire rejects with LockTimeoutError (LOCK_TIMEOUT); tryAcquire resolves undefined',
    timeoutMs: () => scaled(PROMPT_MS * 2),
    async run(c) {
      const [a, b, d] = [await c.client(), await c.client(), await c.client()];
      const key = c.key();
      const lease = await a.acquire(key);
      const result = await outcome(b.acquire(key, { waitMs: scaled(200) }));
      expect(result.ok).toBe(false);
      const error = result.ok ? undefined : result.error;
      expect(LockTimeoutError.isInstance(error), `rejected with ${String(error)}`).toBe(true);
      expect((error as LockTimeoutError).code).toBe('LOCK_TIMEOUT');
      expect((error as LockTimeoutError).key).toBe(key);
      expect(await b.tryAcquire(key, { waitMs: scaled(200) })).toBeUndefined();
      await lease.release();
      // The abandoned waits left nothing queued in front of a new waiter.
      const next = await d.acquire(key, { waitMs: scaled(PROMPT_MS) });
      await next.release();
    },
  },
  {
    title:
      'abort through signal: a waiting acquire rejects with the signal’s reason and leaves no queue entry',
    timeoutMs: () => scaled(PROMPT_MS * 2),
    async run(c) {
      const [a, b, d] = [await c.client(), await c.client(), await c.client()];
      const key = c.key();
      const lease = await a.acquire(key);
      const controller = new AbortController();
      const reason = new Error('caller gave up');
      const waiting = outcome(b.acquire(key, { signal: controller.signal }));
      await sleep(scaled(50)); // let the waiter reach the backend's wait
      controller.abort(reason);
      const result = await waiting;
      expect(result.ok).toBe(false);
      expect(result.ok ? undefined : result.error).toBe(reason);
      await lease.release();
      const next = await d.acquire(key, { waitMs: scaled(PROMPT_MS) });
      await next.release();
    },
  },
  {
    title: 'a pre-aborted signal rejects with its reason before any I/O (nothing is taken)',
    timeoutMs: () => scaled(PROMPT_MS),
    async run(c) {
      const [a, b] = [await c.client(), await c.client()];
      const key = c.key();
      const reason = new Error('already aborted');
      const signal = AbortSignal.abort(reason);
      let called = false;
      const attempts: Promise<unknown>[] = [
        a.acquire(key, { signal }),
        a.tryAcquire(key, { signal }),
        a.withLock(key, () => (called = true), { signal }),
      ];
      for (const attempt of attempts) {
        const result = await outcome(attempt);
        expect(result.ok ? undefined : result.error).toBe(reason);
      }
      expect(called).toBe(false);
      const lease = await b.tryAcquire(key);
      expect(lease, 'the key is free: the aborted calls took nothing').toBeDefined();
      await lease?.release();
    },
  },
  {
    title: 'not reentrant: a second acquire by the same client waits and times out',
    timeoutMs: () => scaled(PROMPT_MS),
    async run(c) {
      const a = await c.client();
      const key = c.key();
      const lease = await a.acquire(key);
      expect(await a.tryAcquire(key)).toBeUndefined();
      const again = await outcome(a.acquire(key, { waitMs: scaled(150) }));
      expect(!again.ok && LockTimeoutError.isInstance(again.error), 'second acquire times out').toBe(true);
      await lease.release();
      const next = await a.tryAcquire(key);
      expect(next).toBeDefined();
      await next?.release();
    },
  },
  {
    title: 'independent keys are held at once',
    timeoutMs: () => scaled(PROMPT_MS),
    async run(c) {
      const [a, b] = [await c.client(), await c.client()];
      const first = await a.acquire(c.key('one'));
      const second = await b.tryAcquire(c.key('two'));
      expect(second, 'another client takes another key').toBeDefined();
      const keys = Array.from({ length: 10 }, (_, i) => c.key(`many-${i}`));
      const many = await Promise.all(keys.map((key) => a.acquire(key, { waitMs: scaled(PROMPT_MS) })));
      expect(many.map((lease) => lease.key)).toEqual(keys);
      expect([first, second, ...many].every((lease) => lease?.held)).toBe(true);
      await Promise.all([first, second, ...many].map((lease) => lease?.release()));
    },
  },
  {
    title: 'release is idempotent and a stale lease’s release never frees the next holder',
    timeoutMs: () => scaled(PROMPT_MS),
    async run(c) {
      const [a, b, d] = [await c.client(), await c.client(), await c.client()];
      const key = c.key();
      const lease = await a.acquire(key);
      await Promise.all([lease.release(), lease.release()]);
      await lease.release();
      await lease[Symbol.asyncDispose]();
      const next = await b.tryAcquire(key);
      expect(next).toBeDefined();
      await lease.release(); // the old lease again, now that b holds the key
      expect(await d.tryAcquire(key), 'b still holds the key').toBeUndefined();
      await next?.release();
    },
  },
];
