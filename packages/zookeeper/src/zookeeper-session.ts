import { BackendUnavailableError, LockLostError } from '@locksmith/core';
import { raceAbort } from '@locksmith/core/protocol';
import { ZK, type ZooKeeperClient } from './zookeeper-client.ts';
import type { ZooKeeperHold } from './zookeeper-hold.ts';

/** The shortest wait for a (re)connect; otherwise one session timeout (the C client may pause that long between rounds of its hosts). */
const MIN_CONNECT_WAIT_MS = 2_000;

/**
 * The user's client's session as one lock client sees it: connected or not, ended or not, and the
 * holds whose nodes live in it. Every ephemeral node dies with the session, so when the session
 * ends (expired, or the client closed) every hold is reported lost at once.
 */
export class ZooKeeperSession {
  /** Holds whose nodes this session owns. */
  readonly holds = new Set<ZooKeeperHold>();
  /** Set once the client said the session ended; nothing of it can be used again. */
  ended: string | undefined;
  #waiters = new Set<() => void>();
  #report: (hold: ZooKeeperHold, error: LockLostError) => void = () => undefined;
  readonly #onConnect = () => this.#wake();
  // On a fresh turn: a 'close' can come among the callbacks of a dropped connection (see onSafeTurn).
  readonly #onClose = (...args: unknown[]) => setImmediate(() => this.#end(args[1]));

  constructor(readonly client: ZooKeeperClient) {
    client.on('connect', this.#onConnect);
    client.on('close', this.#onClose);
    if (client.state === ZK.EXPIRED_SESSION_STATE) this.ended = 'the ZooKeeper session has expired';
  }

  /** Where lost holds are reported (the protocol's `onLoss`). */
  onLoss(report: (hold: ZooKeeperHold, error: LockLostError) => void): void {
    this.#report = report;
  }

  /** True while the client is connected and the session has not ended. */
  get connected(): boolean {
    return this.ended === undefined && this.client.state === ZK.CONNECTED_STATE;
  }

  /** The negotiated session timeout, in ms (valid once connected). */
  get timeoutMs(): number {
    return this.client.timeout;
  }

  /**
   * Resolves once the client is connected; waits through a reconnect (the session lives on).
   * @throws BackendUnavailableError when the session ended or no connection came within a
   *   session timeout (the server has expired the session by then);
   *   `signal.reason` when aborted.
   */
  async ready(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (this.ended !== undefined) throw new BackendUnavailableError('zookeeper', this.ended);
      if (this.client.state === ZK.CONNECTED_STATE) return;
      let wake: () => void = () => undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waitMs = Math.max(MIN_CONNECT_WAIT_MS, this.client.timeout);
      const woken = new Promise<'woken' | 'timeout'>((resolve) => {
        wake = () => resolve('woken');
        timer = setTimeout(() => resolve('timeout'), waitMs);
        timer.unref?.();
      });
      this.#waiters.add(wake);
      try {
        const outcome = signal ? await raceAbort(woken, signal) : await woken;
        if (outcome === 'timeout' && this.client.state !== ZK.CONNECTED_STATE && this.ended === undefined)
          throw new BackendUnavailableError('zookeeper', `not connected within ${waitMs} ms`);
      } finally {
        clearTimeout(timer);
        this.#waiters.delete(wake);
      }
    }
  }

  /** Stops listening to the client (the lock client closed); the user's client stays open. */
  dispose(): void {
    this.client.removeListener('connect', this.#onConnect);
    this.client.removeListener('close', this.#onClose);
    this.#wake();
  }

  #wake(): void {
    for (const wake of [...this.#waiters]) wake();
  }

  /** The session is over: every node it owned is gone (or will be at expiry), so every hold is lost. */
  #end(code: unknown): void {
    this.ended =
      code === ZK.EXPIRED_SESSION_STATE
        ? 'the ZooKeeper session has expired'
        : 'the ZooKeeper client was closed';
    const holds = [...this.holds];
    this.holds.clear();
    for (const hold of holds) this.#report(hold, new LockLostError(hold.key, 'expired'));
    this.#wake();
  }
}
