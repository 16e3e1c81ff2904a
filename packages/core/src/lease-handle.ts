import { BackendUnavailableError, LockLostError, LockNotHeldError, LocksmithError } from './errors.ts';
import type { KeptLease, LeaseKeeper } from './keeper.ts';
import { liveSignal } from './live-signal.ts';
import type { Hold, LockProtocol } from './protocol.ts';
import type { Lease } from './types.ts';
import { MAX_TIMER_MS, validateInteger } from './validate.ts';

/** What a lease needs from the client that made it. */
export interface LeaseOwner<H extends Hold> {
  readonly protocol: LockProtocol<H>;
  readonly keeper: LeaseKeeper<H>;
  leaseEnded(lease: LeaseHandle<H>): void;
  /** Registers a release under way, so `close()` waits for it. */
  trackRelease(work: Promise<unknown>): void;
  emitError(error: LocksmithError, key: string): void;
}

type LeaseState = 'held' | 'released' | 'lost';

/** The `Lease` handed to users; also the keeper's view of it. */
export class LeaseHandle<H extends Hold> implements Lease, KeptLease<H> {
  readonly key: string;
  readonly token: bigint;
  #state: LeaseState = 'held';
  // Made on first use: most leases are released without anyone reading their signal.
  #controller: AbortController | undefined;

  constructor(
    readonly hold: H,
    readonly autoRenew: boolean,
    private readonly owner: LeaseOwner<H>,
  ) {
    this.key = hold.key;
    this.token = hold.token;
  }

  get signal(): AbortSignal {
    this.#refresh();
    return this.#signal();
  }

  /** True until the lease is released or lost; read from the deadline now, not from a timer. */
  get held(): boolean {
    this.#refresh();
    return this.#state === 'held';
  }

  /** Loses the lease now if its deadline has passed (the keeper then calls {@link lose}). */
  #refresh(): void {
    if (this.#state === 'held') this.owner.keeper.check(this);
  }

  #signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      liveSignal(this.#controller.signal, () => this.#refresh());
    }
    return this.#controller.signal;
  }

  lose(error: LockLostError): void {
    if (this.#state !== 'held') return;
    this.#state = 'lost';
    this.owner.keeper.forget(this);
    this.owner.leaseEnded(this);
    this.#abort(error);
    this.owner.emitError(error, this.key);
    // If the backend still names us (a late renewal landed), free the key now rather than at its TTL.
    if (error.reason !== 'taken') this.owner.trackRelease(this.owner.protocol.release(this.hold));
  }

  async extend(ttlMs?: number): Promise<void> {
    const ttl =
      ttlMs === undefined ? this.hold.ttlMs : validateInteger('ttlMs', ttlMs, { min: 1, max: MAX_TIMER_MS });
    this.#refresh();
    this.#assertHeld();
    await this.owner.keeper.extend(this, ttl);
  }

  async release(): Promise<void> {
    if (this.#state !== 'held') return;
    this.#state = 'released';
    this.owner.keeper.forget(this);
    this.owner.leaseEnded(this);
    const released = this.owner.protocol.release(this.hold);
    this.owner.trackRelease(released);
    try {
      await released;
    } catch (error) {
      throw toBackendError(this.owner.protocol.backend, `release of "${this.key}" failed`, error);
    }
  }

  /** Releases as part of `close()`: the signal aborts with reason `closed`, errors become events. */
  async releaseOnClose(): Promise<void> {
    if (this.#state !== 'held') return;
    this.#abort(new LockLostError(this.key, 'closed'));
    try {
      await this.release();
    } catch (error) {
      if (LocksmithError.isInstance(error)) this.owner.emitError(error, this.key);
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.release();
  }

  #abort(reason: LockLostError): void {
    this.#signal();
    this.#controller?.abort(reason);
  }

  #assertHeld(): void {
    if (this.#state === 'released') throw new LockNotHeldError(this.key);
    if (this.#state === 'lost') throw this.#signal().reason;
  }
}

/** Wraps a client library's error; locksmith errors pass through unchanged. */
export function toBackendError(backend: string, what: string, error: unknown): LocksmithError {
  if (LocksmithError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new BackendUnavailableError(backend, `${what}: ${message}`, { cause: error });
}
