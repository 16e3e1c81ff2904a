import { LockLostError } from '@locksmith/core';
import {
  type AcquireRequest,
  createLockClient,
  type ExtendRequest,
  type Hold,
  type LockAttempt,
  type LockProtocol,
} from '@locksmith/core/protocol';
import { describe, expect, it } from 'vitest';
import { leaseKeeper } from '../src/index.ts';

// core's client driven with the real keeper over a scripted in-process protocol: these are the
// client's own rules (what it hands out, what close() waits for), not a backend's behaviour.
class ScriptedProtocol implements LockProtocol<Hold> {
  readonly backend = 'scripted';
  readonly capabilities = { fencing: 'strict', wait: 'push', fifo: true, primitives: ['lock'] } as const;
  readonly released: Hold[] = [];
  closed = false;
  releaseDelayMs = 0;
  token = 0n;

  constructor(private readonly ageOf: (attempt: number) => number) {}

  attempts = 0;

  attempt(key: string, { ttlMs }: AcquireRequest): LockAttempt<Hold> {
    return {
      take: async () => {
        this.attempts += 1;
        this.token += 1n;
        // A hold whose request was sent `age` ms ago: what a waiter paused after the grant reads.
        return {
          hold: { key, token: this.token, ttlMs, sentAt: performance.now() - this.ageOf(this.attempts) },
        };
      },
      leave: async () => undefined,
    };
  }

  async release(hold: Hold): Promise<boolean> {
    await new Promise((resolve) => setTimeout(resolve, this.releaseDelayMs));
    this.released.push(hold);
    return true;
  }

  async extend(requests: readonly ExtendRequest<Hold>[]): Promise<boolean[]> {
    return requests.map(() => true);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

describe('createLockClient with the lease keeper', () => {
  it('never resolves acquire() with a hold whose deadline already passed; it hands it back and tries again', async () => {
    const protocol = new ScriptedProtocol((n) => (n === 1 ? 5_000 : 0));
    const client = createLockClient(protocol, { keeper: leaseKeeper() });
    const lease = await client.acquire('k', { ttlMs: 1_000 });
    expect(lease.token).toBe(2n);
    expect(lease.held).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(protocol.released.map((h) => h.token)).toEqual([1n]);
    await client.close();
  });

  it('gives up with LockLostError when every hold arrives expired (TTL shorter than the round trip)', async () => {
    const protocol = new ScriptedProtocol(() => 5_000);
    const client = createLockClient(protocol, { keeper: leaseKeeper() });
    const error = await client.tryAcquire('k', { ttlMs: 1_000 }).catch((e: unknown) => e);
    expect(LockLostError.isInstance(error)).toBe(true);
    expect(protocol.attempts).toBe(3);
    await client.close();
    expect(protocol.released).toHaveLength(3);
  });

  it('close() waits for a release the user started before it closes the protocol', async () => {
    const protocol = new ScriptedProtocol(() => 0);
    protocol.releaseDelayMs = 50;
    const client = createLockClient(protocol, { keeper: leaseKeeper() });
    const lease = await client.acquire('k');
    const releasing = lease.release();
    await client.close();
    expect(protocol.released).toHaveLength(1);
    expect(protocol.closed).toBe(true);
    await releasing;
  });
});
