import { type Lease, type LockClient, LockTimeoutError } from '@locksmith/core';
import { sleep } from '@locksmith/core/protocol';
import { expect } from 'vitest';
import type { ConformanceCase } from './conformance-case.ts';
import { PROMPT_MS } from './conformance-cases-basic.ts';
import { outcome } from './conformance-context.ts';
import { scaled } from './time-scale.ts';

/** Long enough that a lock left behind by a race is caught, not freed by its TTL. */
const LONG_TTL = 60_000;
/** Offsets (ms) at which the give-up lands: before, inside and after the backend's round trip. */
const OFFSETS = [0, 1, 2, 4, 8, 16];

/** How an attempt gives up: its signal aborts, or `waitMs` runs out. */
type GiveUp = 'abort' | 'waitMs';

/**
 * One acquire that gives up after `offsetMs`. Whatever the interleaving, it either resolves a
 * lease that is held at that instant (then released) or rejects with the give-up's own error.
 */
async function giveUpAfter(client: LockClient, key: string, how: GiveUp, offsetMs: number): Promise<void> {
  const controller = new AbortController();
  const reason = new Error(`gave up after ${offsetMs} ms`);
  const pending = outcome(
    client.acquire(key, {
      ttlMs: LONG_TTL,
      ...(how === 'abort' ? { signal: controller.signal } : { waitMs: Math.max(1, offsetMs) }),
    }),
  );
  if (how === 'abort') {
    if (offsetMs === 0) queueMicrotask(() => controller.abort(reason));
    else setTimeout(() => controller.abort(reason), offsetMs);
  }
  const result = await pending;
  if (result.ok) {
    expect(result.value.held, 'acquire() resolved with a lease that is not held').toBe(true);
    await result.value.release();
    return;
  }
  if (how === 'abort') expect(result.error, 'rejects with the signal’s reason').toBe(reason);
  else expect(LockTimeoutError.isInstance(result.error), `rejected with ${String(result.error)}`).toBe(true);
}

/** Nothing the race left behind holds the key: another client gets it (a stale lock would take a minute). */
async function expectFree(other: LockClient, key: string, what: string): Promise<void> {
  const next = await outcome(other.acquire(key, { waitMs: scaled(PROMPT_MS) }));
  expect(next.ok, `${what}: the key stayed held (${next.ok ? '' : String(next.error)})`).toBe(true);
  if (next.ok) await next.value.release();
}

function raceCase(how: GiveUp, during: 'first attempt' | 'wake-up'): ConformanceCase {
  const landing = how === 'abort' ? 'an abort' : 'waitMs running out';
  return {
    title: `${landing} during the ${during} leaves nothing held or queued (offsets ${OFFSETS.join(', ')} ms)`,
    timeoutMs: () => scaled(PROMPT_MS) * (OFFSETS.length + 1),
    async run(c) {
      const [a, b, d] = [await c.client(), await c.client(), await c.client()];
      for (const offset of OFFSETS) {
        const key = c.key(`${how}-${offset}`);
        if (during === 'first attempt') {
          await giveUpAfter(b, key, how, offset);
        } else {
          // The holder releases as the waiter gives up: the grant races the give-up.
          const holder: Lease = await a.acquire(key, { ttlMs: LONG_TTL });
          const waiting = giveUpAfter(b, key, how, scaled(50) + offset);
          await sleep(scaled(50));
          await holder.release();
          await waiting;
        }
        await expectFree(d, key, `${landing} ${offset} ms into the ${during}`);
      }
    },
  };
}

/** Give-ups that land while a try or a grant is in flight. */
export const raceCases: readonly ConformanceCase[] = [
  raceCase('abort', 'first attempt'),
  raceCase('waitMs', 'first attempt'),
  raceCase('abort', 'wake-up'),
  raceCase('waitMs', 'wake-up'),
];
