import { expect, it } from 'vitest';
import { AcquireStop } from '../src/acquire-stop.ts';
import { LockTimeoutError } from '../src/errors.ts';
import type { LeaseKeeper, LeaseKeeperFactory } from '../src/keeper.ts';
import type { AcquireRequest, Hold, LockProtocol } from '../src/protocol.ts';
import { ProtocolLockClient } from '../src/protocol-lock-client.ts';

const keeper: LeaseKeeperFactory = <H extends Hold>() =>
  ({
    keep: () => true,
    check: () => true,
    extend: async () => undefined,
    forget: () => undefined,
    deadlineOf: () => undefined,
    close: () => undefined,
  }) as LeaseKeeper<H>;

/** A protocol whose lock is always busy; it hands every request to `seen` when the attempt starts. */
function busyProtocol(seen: (request: AcquireRequest) => void): LockProtocol<Hold> {
  return {
    backend: 'test',
    capabilities: { fencing: 'strict', wait: 'poll', fifo: false, primitives: ['lock'] },
    attempt(_key, request) {
      seen(request);
      return { take: async () => ({ retryMs: 5 }), leave: async () => undefined };
    },
    release: async () => true,
    extend: async (requests) => requests.map(() => true),
    close: async () => undefined,
  };
}

it('request.signal is an AbortSignal that aborts with the reason the acquire rejects with', async () => {
  const signals: AbortSignal[] = [];
  const client = new ProtocolLockClient(
    busyProtocol((request) => signals.push(request.signal)),
    keeper,
    { now: () => performance.now() },
  );
  const user = new AbortController();
  const pending = client.acquire('k', { signal: user.signal });
  const reason = new Error('caller gave up');
  user.abort(reason);
  await expect(pending).rejects.toBe(reason);
  expect(signals[0]).toBeInstanceOf(AbortSignal);
  expect(signals[0]?.aborted).toBe(true);
  expect(signals[0]?.reason).toBe(reason);

  // waitMs: read only after the abort, the signal is made already aborted with the timeout.
  let late: AcquireRequest | undefined;
  const timed = new ProtocolLockClient(
    busyProtocol((request) => {
      late = request;
    }),
    keeper,
    { now: () => performance.now() },
  );
  await expect(timed.acquire('k', { waitMs: 20 })).rejects.toBeInstanceOf(LockTimeoutError);
  expect(late?.signal.aborted).toBe(true);
  expect(late?.signal.reason).toBeInstanceOf(LockTimeoutError);
  await client.close();
  await timed.close();
});

it('close() aborts a pending acquire and the signal its protocol read', async () => {
  let signal: AbortSignal | undefined;
  const client = new ProtocolLockClient(
    busyProtocol((request) => {
      signal = request.signal;
    }),
    keeper,
    { now: () => performance.now() },
  );
  const pending = client.acquire('k');
  const closed = client.close();
  await expect(pending).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
  await closed;
  expect(signal?.aborted).toBe(true);
});

it('AcquireStop aborts once, runs each listener once, and ignores listeners added after', () => {
  const stop = new AcquireStop();
  const calls: string[] = [];
  const removed = () => calls.push('removed');
  stop.addEventListener('abort', () => calls.push('a'));
  stop.addEventListener('abort', removed);
  stop.addEventListener('abort', () => calls.push('b'));
  stop.removeEventListener('abort', removed);
  expect(() => stop.throwIfAborted()).not.toThrow();
  const reason = new Error('first');
  stop.abort(reason);
  stop.abort(new Error('second'));
  stop.addEventListener('abort', () => calls.push('late'));
  expect(calls).toEqual(['a', 'b']);
  expect(stop.aborted).toBe(true);
  expect(stop.reason).toBe(reason);
  expect(() => stop.throwIfAborted()).toThrow('first');
  expect(stop.signal.reason).toBe(reason);

  const plain = new AcquireStop();
  plain.abort();
  expect(plain.reason).toBeInstanceOf(DOMException);
  expect((plain.reason as DOMException).name).toBe('AbortError');
});
