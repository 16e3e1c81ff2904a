import { sleep } from './abort.ts';
import type { Clock } from './clock.ts';

/** Pause before the second try of a clean-up whose call failed; it doubles up to the cap. */
const CLEANUP_RETRY_MS = 50;
/** Longest pause between two tries: an outage with many failed attempts must not flood the server. */
const CLEANUP_RETRY_CAP_MS = 1_000;

/**
 * Background clean-ups of a protocol (a queue entry left behind, a release whose reply was lost),
 * which `close()` waits for, bounded. A clean-up may be retried: its own reply can be lost like
 * the one it cleans up after. Clean-ups are keyed by the attempt's own id or entry, so a late or
 * repeated one never touches another holder's lock.
 */
export class Cleanups {
  readonly #running = new Set<Promise<unknown>>();
  readonly #clock: Clock;
  #closed = false;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /**
   * Runs `task` in the background. With `retryWhile`, a failed task is tried again (50 ms, doubling
   * to 1 s) while that holds: a time on the clock (the lock it frees has expired on its own by
   * then), or a condition (e.g. "the session that keeps the entry alive still lives"). Retries stop
   * once `settle` has run.
   */
  run(task: () => Promise<unknown>, retryWhile?: number | (() => boolean)): void {
    const again = (pause: number): boolean => {
      if (retryWhile === undefined || this.#closed) return false;
      return typeof retryWhile === 'number' ? this.#clock.now() + pause < retryWhile : retryWhile();
    };
    const attempt = async (): Promise<unknown> => {
      for (let pause = CLEANUP_RETRY_MS; ; pause = Math.min(pause * 2, CLEANUP_RETRY_CAP_MS)) {
        try {
          return await task();
        } catch (error) {
          if (!again(pause)) throw error;
          await sleep(pause);
        }
      }
    };
    const promise: Promise<unknown> = attempt()
      .catch(() => undefined)
      .finally(() => this.#running.delete(promise));
    this.#running.add(promise);
  }

  /** Waits up to `timeoutMs` for the clean-ups still running; retries stop after it. */
  async settle(timeoutMs: number): Promise<void> {
    if (this.#running.size > 0) await bounded(Promise.allSettled([...this.#running]), timeoutMs);
    this.#closed = true;
  }
}

/** Waits for `promise`, at most `timeoutMs`; never rejects. The bound keeps the process alive (it is awaited). */
export async function bounded(promise: Promise<unknown>, timeoutMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([promise.then(noop, noop), timeout]);
  clearTimeout(timer);
}

function noop(): void {}
