import { sleep } from '@locksmith/core/protocol';
import { type ConsulClient, readKey } from './consul-client.ts';

/** How long one blocking query waits before Consul answers with no change (it is then re-sent). */
const BLOCK_MS = 30_000;
/** Pause after a failed read before the next, doubling up to the cap (Consul unreachable, no leader). */
const ERROR_RETRY_MS = 100;
const ERROR_RETRY_CAP_MS = 2_000;

/**
 * Blocking queries on one lock key, from the Consul index this waiter last saw: no fixed-interval
 * polling. The index is kept across waits, so a change that lands between two waits (a release
 * just after a refused try) returns the next query at once instead of being missed.
 */
export class KeyWatch {
  #index = 0;
  #stop: AbortController | undefined;

  constructor(
    private readonly client: ConsulClient,
    private readonly path: string,
  ) {}

  /** Resolves once the key is deleted or unlocked (at once if it already is). */
  free(): Promise<void> {
    return handled(this.#run((state) => state.entry === undefined || !state.entry.Session, false));
  }

  /** Resolves once the key changes past the index last seen. */
  change(): Promise<void> {
    return handled(this.#run(() => true, true));
  }

  /** Cancels the query in flight, if any. */
  stop(): void {
    this.#stop?.abort();
    this.#stop = undefined;
  }

  async #run(
    done: (state: { entry: { Session?: string } | undefined }) => boolean,
    needChange: boolean,
  ): Promise<void> {
    this.stop();
    const controller = new AbortController();
    this.#stop = controller;
    const { signal } = controller;
    let pause = ERROR_RETRY_MS;
    for (;;) {
      const from = this.#index;
      try {
        const state = await readKey(this.client, this.path, from, BLOCK_MS, signal);
        pause = ERROR_RETRY_MS;
        // An index that went back (a restored snapshot, a new leader's reset) restarts from 0.
        this.#index = state.index < from ? 0 : state.index;
        if ((!needChange || state.index !== from) && done(state) && !(needChange && from === 0)) return;
      } catch (error) {
        if (signal.aborted) throw error;
        await sleep(pause, signal);
        pause = Math.min(pause * 2, ERROR_RETRY_CAP_MS);
      }
    }
  }
}

/** `promise`, with a handler attached: a wait the loop gave up on rejects (cancelled) unobserved. */
function handled(promise: Promise<void>): Promise<void> {
  promise.catch(() => undefined);
  return promise;
}
