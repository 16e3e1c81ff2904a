import type { Wakeable } from '../redis-wakeups.ts';

/** Upper bound of the random delay before a woken Redlock waiter retries. */
export const WAKE_JITTER_MS = 3;

/**
 * Sleeps `ms` or until any instance wakes the waiter; resolves `true` when a wake-up (not the
 * timer) ended it; rejects with `signal.reason` on abort.
 */
export async function waitAny(
  waiters: readonly Wakeable[],
  ms: number,
  signal: AbortSignal,
): Promise<boolean> {
  signal.throwIfAborted();
  const local = new AbortController();
  const onAbort = () => local.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  let woken = false;
  try {
    await Promise.race(
      waiters.map((w) => {
        const p = w.wait(ms, local.signal).then((byWakeUp) => {
          woken ||= byWakeUp;
        });
        p.catch(() => undefined);
        return p;
      }),
    );
    return woken;
  } finally {
    signal.removeEventListener('abort', onAbort);
    local.abort();
  }
}
