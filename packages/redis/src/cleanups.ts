import type { Clock } from '@locksmith/core';
import { sleep } from '@locksmith/core/protocol';

/** Pause before the second try of a clean-up whose call failed; it doubles up to the cap. */
const CLEANUP_RETRY_MS = 50;
/** Longest pause between two tries: an outage with many failed attempts must not flood the client. */
const CLEANUP_RETRY_CAP_MS = 1_000;

/**
 * Runs background clean-ups and lets `close()` wait for them, bounded. A clean-up with a time
 * limit is tried again until it succeeds or that time has passed (the lock it frees has expired
 * on its own by then): its reply can be lost like the one it cleans up after. Clean-ups are keyed
 * by the attempt's holder id, so a late or repeated one never touches another holder's lock.
 */
export class Cleanups {
  readonly #running = new Set<Promise<unknown>>();
  readonly #clock: Clock;
  #closed = false;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Runs `task` in the background; with `until` (a time of the clock), retries it until then. */
  run(task: () => Promise<unknown>, until?: number): void {
    const attempt = async (): Promise<unknown> => {
      for (let pause = CLEANUP_RETRY_MS; ; pause = Math.min(pause * 2, CLEANUP_RETRY_CAP_MS)) {
        try {
          return await task();
        } catch (error) {
          if (until === undefined || this.#closed || this.#clock.now() + pause >= until) throw error;
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
    if (this.#running.size > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
        timer.unref?.();
      });
      await Promise.race([Promise.allSettled([...this.#running]), timeout]);
      clearTimeout(timer);
    }
    this.#closed = true;
  }
}
