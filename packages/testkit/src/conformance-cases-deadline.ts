import type { Lease } from '@locksmith/core';
import { expect } from 'vitest';
import type { ConformanceCase } from './conformance-case.ts';
import { PROMPT_MS } from './conformance-cases-basic.ts';
import { suiteTtl } from './conformance-context.ts';
import { scaled } from './time-scale.ts';

const SHORT_TTL = 300;
const LONG_TTL = 5_000;

/** Blocks the event loop for `ms`, as a GC pause or CPU starvation does: no timer can run. */
function blockEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

function expectReadsLost(lease: Lease, signal: AbortSignal, what: string): void {
  // Read the kept signal first: it must answer from the deadline, not wait for a timer.
  expect(signal.aborted, `${what}: a kept lease.signal reads aborted`).toBe(true);
  expect(lease.held, `${what}: lease.held`).toBe(false);
  expect(lease.signal.aborted, `${what}: lease.signal.aborted`).toBe(true);
}

/**
 * The lease's local deadline is never later than the server's, and `held`/`signal` answer from it
 * at the moment they are read.
 */
export const deadlineCases: readonly ConformanceCase[] = [
  {
    title:
      'extend() to a shorter TTL shortens the lease: once another client holds the key, the first reads lost',
    timeoutMs: (o) => suiteTtl(o, LONG_TTL) + scaled(PROMPT_MS * 2),
    async run(c) {
      c.errorsExpected = true;
      const [a, b] = [await c.client(), await c.client()];
      const key = c.key();
      const lease = await a.acquire(key, { ttlMs: suiteTtl(c.options, LONG_TTL), autoRenew: false });
      const signal = lease.signal;
      await lease.extend(suiteTtl(c.options, SHORT_TTL));
      const next = await b.acquire(key, { waitMs: suiteTtl(c.options, LONG_TTL) });
      // b holds it, so the server ended a's lease: a must say so now, whatever its timers did.
      expectReadsLost(lease, signal, 'after another client acquired');
      await next.release();
    },
  },
  ...[true, false].map(
    (autoRenew): ConformanceCase => ({
      title: `held and signal read the deadline after a pause longer than the TTL (autoRenew ${autoRenew})`,
      timeoutMs: (o) => suiteTtl(o, SHORT_TTL) * 3 + scaled(PROMPT_MS * 2),
      async run(c) {
        c.errorsExpected = true;
        const a = await c.client();
        const T = suiteTtl(c.options, SHORT_TTL);
        const lease = await a.acquire(c.key(), { ttlMs: T, autoRenew });
        const signal = lease.signal;
        expect(signal.aborted).toBe(false);
        blockEventLoop(T * 2);
        expectReadsLost(lease, signal, 'right after the pause');
        await lease.release();
      },
    }),
  ),
];
