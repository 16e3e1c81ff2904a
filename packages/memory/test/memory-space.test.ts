import { sleep } from '@locksmith/core/protocol';
import { describe, expect, it } from 'vitest';
import { createMemorySpace } from '../src/index.ts';
import type { MemoryClaim } from '../src/memory-space.ts';

function recorder(ttlMs: number) {
  const events: string[] = [];
  const claim: MemoryClaim = {
    ttlMs,
    granted: (token) => events.push(`granted ${token}`),
    lost: (reason) => events.push(`lost ${reason}`),
  };
  return { claim, events };
}

describe('MemorySpace', () => {
  it('wakes the head waiter with its timer when a hold expires', async () => {
    const space = createMemorySpace();
    const a = recorder(20);
    const b = recorder(1_000);
    expect(space.tryTake('k', a.claim)).toBe(true);
    space.enqueue('k', b.claim);
    expect(b.events).toEqual([]);
    for (let i = 0; i < 200 && b.events.length === 0; i += 1) await sleep(5);
    expect(a.events).toEqual(['granted 1', 'lost expired']);
    expect(b.events).toEqual(['granted 2']);
    expect(space.release('k', 2n)).toBe(true);
  });

  it('frees an expired hold nobody waits for lazily, without telling the holder', () => {
    let now = 0;
    const space = createMemorySpace({ clock: { now: () => now } });
    const a = recorder(10);
    const b = recorder(10);
    space.tryTake('k', a.claim);
    now = 10;
    expect(space.peek('k').token).toBeUndefined();
    expect(space.tryTake('k', b.claim)).toBe(true);
    expect(a.events).toEqual(['granted 1']);
  });

  it('grants at enqueue when the key turned out to be free', () => {
    let now = 0;
    const space = createMemorySpace({ clock: { now: () => now } });
    const a = recorder(10);
    const b = recorder(10);
    space.tryTake('k', a.claim);
    now = 11;
    space.enqueue('k', b.claim);
    expect(b.events).toEqual(['granted 2']);
    expect(a.events).toEqual(['granted 1', 'lost expired']);
  });

  it('the dequeue function is a no-op after the grant', () => {
    const space = createMemorySpace();
    const a = recorder(1_000);
    const b = recorder(1_000);
    space.tryTake('k', a.claim);
    const dequeue = space.enqueue('k', b.claim);
    space.release('k', 1n);
    dequeue();
    expect(space.peek('k').token).toBe(2n);
    expect(space.forget('k')).toBe(true);
    expect(b.events).toEqual(['granted 2', 'lost taken']);
  });

  it('extend pushes the expiry back', () => {
    let now = 0;
    const space = createMemorySpace({ clock: { now: () => now } });
    space.tryTake('k', recorder(10).claim);
    now = 8;
    expect(space.extend('k', 1n, 10)).toBe(true);
    now = 15;
    expect(space.peek('k')).toEqual({ token: 1n, expiresInMs: 3, waiters: 0 });
  });
});
