import { BackendUnavailableError, LockLostError } from '@locksmith/core';
import { sleep } from '@locksmith/core/protocol';
import { expect } from 'vitest';
import type { ConformanceCase } from './conformance-case.ts';
import { PROMPT_MS } from './conformance-cases-basic.ts';
import { outcome, suiteTtl, waitUntil, within } from './conformance-context.ts';
import { spawnHolder } from './holder-process.ts';
import { scaled } from './time-scale.ts';

const PUSH_MS = 3_000;
const HOLDER_TTL = 2_000;

function isUnavailable(result: { ok: boolean; error?: unknown }): boolean {
  return !result.ok && BackendUnavailableError.isInstance(result.error);
}

/** Handle types that a closed client must not leave behind. */
const LEAK_TYPES = ['Timeout', 'TCPSocketWrap', 'PipeWrap', 'FSEventWrap', 'Immediate'];

function handleCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) {
    if (LEAK_TYPES.includes(type)) counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return counts;
}

/** withLock, close(), leaks, push wake-up and a holder killed in another process. */
export const lifecycleCases: readonly ConformanceCase[] = [
  {
    title: 'withLock returns the callback’s value and releases',
    timeoutMs: () => scaled(PROMPT_MS),
    async run(c) {
      const [a, b] = [await c.client(), await c.client()];
      const key = c.key();
      const value = await a.withLock(key, async (lease) => {
        expect(lease.key).toBe(key);
        expect(lease.held).toBe(true);
        expect(await b.tryAcquire(key), 'held inside withLock').toBeUndefined();
        return 42;
      });
      expect(value).toBe(42);
      const next = await b.tryAcquire(key);
      expect(next, 'released after withLock').toBeDefined();
      await next?.release();
    },
  },
  {
    title: 'withLock releases when the callback throws and rethrows the same error',
    timeoutMs: () => scaled(PROMPT_MS),
    async run(c) {
      const [a, b] = [await c.client(), await c.client()];
      const key = c.key();
      const boom = new Error('callback failed');
      const result = await outcome(
        a.withLock(key, () => {
          throw boom;
        }),
      );
      expect(result.ok ? undefined : result.error).toBe(boom);
      const next = await b.tryAcquire(key);
      expect(next, 'released after the callback threw').toBeDefined();
      await next?.release();
    },
  },
  {
    title: 'close() releases held leases, rejects pending acquires, and later calls reject',
    timeoutMs: () => scaled(PROMPT_MS * 2),
    async run(c) {
      const [a, b] = [await c.client(), await c.client()];
      const [mine, theirs] = [c.key('mine'), c.key('theirs')];
      const lease = await a.acquire(mine);
      const other = await b.acquire(theirs);
      const pending = outcome(a.acquire(theirs));
      await sleep(scaled(50));
      await within(a.close(), scaled(PROMPT_MS), 'close()');
      expect(isUnavailable(await pending), 'a pending acquire rejects with BackendUnavailableError').toBe(
        true,
      );
      expect(lease.held).toBe(false);
      expect(lease.signal.aborted).toBe(true);
      expect(LockLostError.isInstance(lease.signal.reason) && lease.signal.reason.reason === 'closed').toBe(
        true,
      );
      const freed = await b.tryAcquire(mine);
      expect(freed, 'close() released the key at once').toBeDefined();
      expect(isUnavailable(await outcome(a.acquire(c.key('later')))), 'acquire after close rejects').toBe(
        true,
      );
      expect(
        isUnavailable(await outcome(a.tryAcquire(c.key('later')))),
        'tryAcquire after close rejects',
      ).toBe(true);
      await a.close(); // idempotent
      await Promise.all([freed?.release(), other.release()]);
    },
  },
  {
    title: 'close() leaves no timers or sockets behind',
    timeoutMs: () => scaled(PROMPT_MS * 2),
    async run(c) {
      // Warm up first, so anything a backend creates once per process is part of the baseline.
      const warm = await c.options.createClient({ slowPoll: false });
      c.onCleanup(() => warm.close());
      await (await warm.acquire(c.key('warm'))).release();
      await warm.close();
      await sleep(scaled(50));
      const baseline = handleCounts();
      const a = await c.options.createClient({ slowPoll: false });
      const b = await c.options.createClient({ slowPoll: false });
      c.onCleanup(() => Promise.all([a.close(), b.close()]));
      const key = c.key();
      await a.acquire(key);
      const pending = outcome(b.acquire(key));
      await sleep(scaled(50));
      await Promise.all([a.close(), b.close()]);
      await pending;
      const grown = () => [...handleCounts()].filter(([type, n]) => n > (baseline.get(type) ?? 0));
      await waitUntil(() => grown().length === 0, scaled(2_000), 'handles left after close').catch(() => {
        expect(Object.fromEntries(grown()), 'handles still open after close(), beyond the baseline').toEqual(
          {},
        );
      });
    },
  },
  {
    title: 'push wake-up: a waiter acquires promptly after release with polling slowed to minutes',
    timeoutMs: () => scaled(PROMPT_MS + PUSH_MS * 2),
    async run(c, skip) {
      const a = await c.client({ slowPoll: true });
      if (a.capabilities.wait !== 'push')
        skip(`capabilities.wait is '${a.capabilities.wait}': waiters poll, no push wake-up is promised`);
      const b = await c.client({ slowPoll: true });
      const key = c.key();
      const lease = await a.acquire(key);
      const controller = new AbortController();
      const waiting = b.acquire(key, { signal: controller.signal });
      waiting.catch(() => undefined);
      await sleep(scaled(100)); // the waiter is queued or watching
      await lease.release();
      try {
        const next = await within(
          waiting,
          scaled(PUSH_MS),
          'waiter woken by the release (polling is slowed to minutes)',
        );
        await next.release();
      } finally {
        controller.abort(new Error('push case over'));
      }
    },
  },
  {
    title: 'cross-process: kill -9 of a child holding the lock frees it within TTL + margin',
    timeoutMs: (o) => suiteTtl(o, HOLDER_TTL) * 3 + scaled(PROMPT_MS * 4),
    async run(c, skip) {
      const spec = c.options.holder;
      if (spec === undefined)
        return skip('options.holder not given: an in-process backend has no lock another process could hold');
      const b = await c.client();
      const key = c.key();
      const T = suiteTtl(c.options, HOLDER_TTL);
      const holder = await spawnHolder({ ...spec, key, ttlMs: T });
      c.onCleanup(() => holder.kill());
      expect(await b.tryAcquire(key), 'the child holds the key').toBeUndefined();
      await sleep(T * 1.5); // the child renews past its TTL
      expect(await b.tryAcquire(key), 'the child still holds the key after 1.5 × TTL').toBeUndefined();
      await holder.kill('SIGKILL');
      const lease = await b.acquire(key, { waitMs: T + scaled(PROMPT_MS) });
      if (b.capabilities.fencing === 'strict')
        expect(lease.token > holder.token, 'token after takeover').toBe(true);
      await lease.release();
    },
  },
  {
    title: 'cross-process: a waiter acquires when the child holding the lock releases it',
    timeoutMs: () => scaled(PROMPT_MS * 4),
    async run(c, skip) {
      const spec = c.options.holder;
      if (spec === undefined)
        return skip('options.holder not given: an in-process backend has no lock another process could hold');
      const b = await c.client();
      const key = c.key();
      const holder = await spawnHolder({ ...spec, key });
      c.onCleanup(() => holder.kill());
      const waiting = outcome(b.acquire(key, { waitMs: scaled(PROMPT_MS * 2) }));
      await sleep(scaled(100));
      await holder.release();
      expect(holder.lines).toContain('RELEASED');
      const result = await waiting;
      if (!result.ok) throw result.error;
      await result.value.release();
    },
  },
];
