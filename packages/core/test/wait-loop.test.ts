import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Hold } from '../src/protocol.ts';
import { type LockAttempt, waitForHold } from '../src/wait-loop.ts';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

/** Lets pending promise jobs and the unhandled-rejection check run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

it('a wake-up that rejects after the caller gave up is never an unhandled rejection', async () => {
  // The take answers "wait for this wake-up" only after the abort, and leave() then ends that
  // wake-up (an etcd watch aborted on leave rejects), so nobody ever awaits it.
  let rejectWake: (error: Error) => void = () => undefined;
  let answerTake: () => void = () => undefined;
  const attempt: LockAttempt<Hold> = {
    take: () =>
      new Promise((resolve) => {
        answerTake = () =>
          resolve({
            retryMs: 1_000,
            wake: new Promise<void>((_, reject) => {
              rejectWake = reject;
            }),
          });
      }),
    leave: async () => rejectWake(new Error('watch cancelled by leave')),
  };
  const controller = new AbortController();
  const work: Promise<unknown>[] = [];
  const waiting = waitForHold(attempt, true, controller.signal, (w) => work.push(w));
  controller.abort(new Error('caller gave up'));
  await expect(waiting).rejects.toThrow('caller gave up');
  answerTake();
  await Promise.all(work);
  await settle();
  expect(unhandled).toEqual([]);
});

it('a wake-up that rejects while the caller aborts before waiting is never an unhandled rejection', async () => {
  const controller = new AbortController();
  const attempt: LockAttempt<Hold> = {
    take: async () => {
      controller.abort(new Error('caller gave up')); // lands while the try is in flight
      return { retryMs: 1_000, wake: Promise.reject(new Error('push channel closed')) };
    },
    leave: async () => undefined,
  };
  const work: Promise<unknown>[] = [];
  await expect(waitForHold(attempt, true, controller.signal, (w) => work.push(w))).rejects.toThrow(
    'caller gave up',
  );
  await Promise.all(work);
  await settle();
  expect(unhandled).toEqual([]);
});
