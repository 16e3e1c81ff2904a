import { raceAbort } from './abort.ts';
import type { AbortLike } from './acquire-stop.ts';
import type { Hold } from './protocol.ts';

/**
 * What one try at a lock found. `hold`: it is ours. Otherwise wait until `wake` resolves (a push
 * from the backend: a release, a predecessor's delete, a grant), or `retryMs` passes (the
 * holder's TTL, a backoff step: the fallback), then try again. A grant that already carries the
 * hold is kept by the attempt and returned by the next `take` without I/O, so a grant that lands
 * as the caller gives up is never lost: `leave` hands it back.
 */
export type TakeOutcome<H extends Hold> =
  | {
      /** The lock is held: the wait loop hands this hold to the client. */
      readonly hold: H;
    }
  | {
      /** Not held yet: try again after this many milliseconds, or sooner when `wake` resolves (`Infinity`: only then). */
      readonly retryMs: number;
      /** Resolves when it is worth trying again. A rejection only costs the push (retryMs still holds). */
      readonly wake?: Promise<void>;
    };

/**
 * One `acquire` call as a backend sees it: made by `LockProtocol.attempt`, it keeps whatever the
 * backend needs across tries (a queue entry, a subscription, a backoff sequence).
 */
export interface LockAttempt<H extends Hold> {
  /** One try: take the lock or, when waiting, make sure this attempt is queued and say how to wait. */
  take(): Promise<TakeOutcome<H>>;
  /**
   * Called once when the attempt ends without handing out a hold (timeout, abort, close, error,
   * a try that found the lock held): leave the queue, drop subscriptions, and hand back a lock
   * that a try whose reply was lost, or a grant that came too late, may have taken. Runs after
   * any `take` still in flight has settled; `late` is the hold such a take returned after the
   * caller gave up (release it).
   */
  leave(late?: H): Promise<void>;
}

/** Work that must finish before the client closes; `createLockClient` awaits it. */
export type TrackWork = (work: Promise<unknown>) => void;

/**
 * The one wait loop of every backend: try; if held, done; if not waiting, stop; else wait for the
 * earliest of the wake-up, the retry hint and the abort, and try again. On any exit without a
 * hold, the attempt leaves (in the background, so an abort rejects at once; `track` lets
 * `close()` wait for it).
 * @throws `signal.reason` when `signal` aborts; whatever `take` throws.
 */
export async function waitForHold<H extends Hold>(
  attempt: LockAttempt<H>,
  wait: boolean,
  signal: AbortLike,
  track: TrackWork,
): Promise<H | undefined> {
  let inFlight: Promise<TakeOutcome<H>> | undefined;
  let held = false;
  try {
    for (;;) {
      signal.throwIfAborted();
      inFlight = attempt.take();
      const outcome = await raceAbort(inFlight, signal);
      inFlight = undefined;
      if ('hold' in outcome) {
        held = true;
        return outcome.hold;
      }
      ignoreRejection(outcome.wake); // a wake-up nobody waits for (we stop, or abort first) must not go unhandled
      if (!wait) return undefined;
      await wakeOrRetry(outcome, signal);
    }
  } finally {
    if (!held) {
      const pending = inFlight;
      track(
        (async () => {
          const outcome = await pending?.catch(() => undefined);
          if (outcome !== undefined && !('hold' in outcome)) ignoreRejection(outcome.wake);
          await attempt.leave(outcome !== undefined && 'hold' in outcome ? outcome.hold : undefined);
        })(),
      );
    }
  }
}

/** Waits for `wake`, `retryMs` or an abort, whichever comes first. */
function wakeOrRetry(
  outcome: { readonly retryMs: number; readonly wake?: Promise<void> },
  signal: AbortLike,
): Promise<void> {
  // The abort may have landed while the try was in flight: check before subscribing to it.
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      finish();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    if (Number.isFinite(outcome.retryMs)) {
      timer = setTimeout(
        () => {
          finish();
          resolve();
        },
        Math.max(0, outcome.retryMs),
      );
      // Not unref'd: the caller awaits this wait, which waitMs or the signal bounds.
    }
    outcome.wake?.then(
      () => {
        finish();
        resolve();
      },
      () => {
        // A failed wake-up source only costs the push: fall back on the retry time.
      },
    );
  });
}

/** Marks a wake-up promise handled: its rejection only costs the push, and leave() may cause it. */
function ignoreRejection(wake: Promise<void> | undefined): void {
  wake?.catch(() => undefined);
}
