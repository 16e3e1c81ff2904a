/** Background clean-ups (leaving a queue after a failed or abandoned wait); `close()` waits for them, bounded. */
export class Cleanups {
  readonly #running = new Set<Promise<unknown>>();

  run(task: () => Promise<unknown>): void {
    const promise: Promise<unknown> = task()
      .catch(() => undefined)
      .finally(() => this.#running.delete(promise));
    this.#running.add(promise);
  }

  /** Waits for the running clean-ups, at most `timeoutMs`. */
  settle(timeoutMs: number): Promise<void> {
    return this.bounded(Promise.allSettled([...this.#running]), timeoutMs);
  }

  /** Waits for `promise`, at most `timeoutMs`; never rejects. */
  async bounded(promise: Promise<unknown>, timeoutMs: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref?.();
    });
    await Promise.race([promise.then(noop, noop), timeout]);
    clearTimeout(timer);
  }
}

function noop(): void {}
