import { AcquireStop } from './acquire-stop.ts';
import type { Clock } from './clock.ts';
import {
  BackendUnavailableError,
  InvalidArgumentError,
  LockLostError,
  type LocksmithError,
  LockTimeoutError,
} from './errors.ts';
import type { LeaseKeeper, LeaseKeeperFactory } from './keeper.ts';
import { LeaseHandle, type LeaseOwner, toBackendError } from './lease-handle.ts';
import type { AcquireRequest, Hold, LockProtocol } from './protocol.ts';
import type { AcquireOptions, Capabilities, Lease, LockClient, LockClientEvents } from './types.ts';
import { type ResolvedAcquireOptions, validateAcquireOptions, validateKey } from './validate.ts';
import { type LockAttempt, waitForHold } from './wait-loop.ts';

type ErrorListener = LockClientEvents['error'];

/** Holds that expire before they can be handed out, in a row, before acquire gives up. */
const MAX_STALE_HOLDS = 2;

/** The LockClient every backend gets from `createLockClient`. */
export class ProtocolLockClient<H extends Hold> implements LockClient, LeaseOwner<H> {
  readonly keeper: LeaseKeeper<H>;
  readonly #leases = new Set<LeaseHandle<H>>();
  readonly #pending = new Map<AcquireStop, Promise<unknown>>();
  /** Releases under way (a lease's release, a hold handed back): close() waits for them. */
  readonly #releasing = new Set<Promise<void>>();
  readonly #listeners = new Set<ErrorListener>();
  #closing: Promise<void> | undefined;
  /** Aborts when `close()` starts: work that is not an acquire (an observer) ends with it. */
  protected readonly closed = new AbortController();

  constructor(
    readonly protocol: LockProtocol<H>,
    keeperFactory: LeaseKeeperFactory,
    clock: Clock,
  ) {
    this.keeper = keeperFactory<H>({
      clock,
      backend: protocol.backend,
      extend: (requests) => protocol.extend(requests),
    });
    protocol.onLoss?.((hold, error) => {
      for (const lease of this.#leases) if (lease.hold === hold) lease.lose(error);
    });
  }

  get backend(): string {
    return this.protocol.backend;
  }

  get capabilities(): Capabilities {
    return this.protocol.capabilities;
  }

  async acquire(key: string, options?: AcquireOptions): Promise<Lease> {
    validateKey(key);
    const lease = await this.take(key, validateAcquireOptions(options, Number.POSITIVE_INFINITY), true);
    return lease as Lease;
  }

  async tryAcquire(key: string, options?: AcquireOptions): Promise<Lease | undefined> {
    validateKey(key);
    return this.take(key, validateAcquireOptions(options, 0), false);
  }

  async withLock<T>(key: string, fn: (lease: Lease) => Promise<T> | T, options?: AcquireOptions): Promise<T> {
    validateKey(key);
    if (typeof fn !== 'function')
      throw new InvalidArgumentError('fn', `must be a function (got ${typeof fn})`);
    const lease = await this.acquire(key, options);
    let result: T;
    try {
      result = await fn(lease);
    } catch (error) {
      // The callback's error is the one the caller needs; a failed release still ends at the TTL.
      await lease.release().catch(() => undefined);
      throw error;
    }
    await lease.release();
    return result;
  }

  on<E extends keyof LockClientEvents>(_event: E, listener: LockClientEvents[E]): this {
    this.#listeners.add(listener);
    return this;
  }

  off<E extends keyof LockClientEvents>(_event: E, listener: LockClientEvents[E]): this {
    this.#listeners.delete(listener);
    return this;
  }

  emitError(error: LocksmithError, key: string): void {
    for (const listener of this.#listeners) {
      try {
        listener(error, key);
      } catch {
        // A throwing listener must not turn a lost lease into a crash.
      }
    }
  }

  leaseEnded(lease: LeaseHandle<H>): void {
    this.#leases.delete(lease);
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const reason = new BackendUnavailableError(this.backend, 'the client was closed');
    this.closed.abort(reason);
    for (const stop of this.#pending.keys()) stop.abort(reason);
    await Promise.allSettled(this.#pending.values());
    await Promise.allSettled([...this.#leases].map((lease) => lease.releaseOnClose()));
    await Promise.allSettled([...this.#releasing]);
    this.keeper.close();
    await this.protocol.close();
  }

  /**
   * One acquire: `open` starts the protocol's attempt (a lock's by default, a candidacy's for
   * elections). Returns a kept lease, or `undefined` when not waiting and the lock was busy.
   */
  protected async take(
    key: string,
    options: ResolvedAcquireOptions,
    throwOnTimeout: boolean,
    open?: (request: AcquireRequest) => LockAttempt<H>,
  ): Promise<LeaseHandle<H> | undefined> {
    if (this.#closing) throw new BackendUnavailableError(this.backend, 'the client is closed');
    const { signal: userSignal, waitMs } = options;
    userSignal?.throwIfAborted();

    const stop = new AcquireStop();
    const onUserAbort = () => stop.abort(userSignal?.reason);
    userSignal?.addEventListener('abort', onUserAbort, { once: true });
    const timer =
      waitMs > 0 && Number.isFinite(waitMs)
        ? setTimeout(() => stop.abort(new LockTimeoutError(key, waitMs)), waitMs)
        : undefined;
    try {
      for (let stale = 0; ; stale += 1) {
        if (stale > 0 && this.#closing)
          throw new BackendUnavailableError(this.backend, 'the client was closed');
        const hold = await this.#attempt(key, options, stop, open);
        if (hold === undefined) {
          if (throwOnTimeout) throw new LockTimeoutError(key, waitMs);
          return undefined;
        }
        if (stop.aborted || this.#closing) {
          // The lock arrived after the caller gave up: hand it straight back.
          this.#track(this.protocol.release(hold));
          const reason: unknown = stop.aborted
            ? stop.reason
            : new BackendUnavailableError(this.backend, 'the client was closed');
          if (!throwOnTimeout && LockTimeoutError.isInstance(reason)) return undefined;
          throw reason;
        }
        const lease = new LeaseHandle(hold, options.autoRenew, this);
        if (this.keeper.keep(lease)) {
          this.#leases.add(lease);
          return lease;
        }
        // Its deadline passed before we could hand it out (the process was paused, or the TTL is
        // shorter than the round trip): give it back and try again, a few times at most.
        this.#track(this.protocol.release(hold));
        if (stale >= MAX_STALE_HOLDS)
          throw new LockLostError(key, 'expired', {
            cause: new Error(
              `the lease had expired before acquire() could return it ${stale + 1} times in a row: ` +
                `ttlMs ${options.ttlMs} is too short for the round trip, or the process is being paused`,
            ),
          });
      }
    } catch (error) {
      if (!throwOnTimeout && stop.aborted && error === stop.reason)
        if (LockTimeoutError.isInstance(error)) return undefined;
      throw error;
    } finally {
      clearTimeout(timer);
      userSignal?.removeEventListener('abort', onUserAbort);
    }
  }

  /** One call of the protocol's acquire, registered so `close()` can abort and await it. */
  async #attempt(
    key: string,
    options: ResolvedAcquireOptions,
    stop: AcquireStop,
    open: ((request: AcquireRequest) => LockAttempt<H>) | undefined,
  ): Promise<H | undefined> {
    const wait = options.waitMs > 0;
    // The AbortSignal is made only if the protocol reads it (most never do).
    const request: AcquireRequest = {
      ttlMs: options.ttlMs,
      wait,
      get signal() {
        return stop.signal;
      },
    };
    const started = open === undefined ? this.protocol.attempt(key, request) : open(request);
    const attempt = waitForHold(started, wait, stop, this.#track);
    // Awaited below, so its rejection is handled; close() only waits for it to settle.
    this.#pending.set(stop, attempt);
    try {
      return await attempt;
    } catch (error) {
      if (stop.aborted && error === stop.reason) throw error;
      throw toBackendError(this.backend, `acquire of "${key}" failed`, error);
    } finally {
      this.#pending.delete(stop);
    }
  }

  /** Work that `close()` must wait for: releases, a waiter leaving its queue. */
  readonly #track = (work: Promise<unknown>): void => {
    const done = () => {
      this.#releasing.delete(settled);
    };
    const settled: Promise<void> = work.then(done, done);
    this.#releasing.add(settled);
  };

  trackRelease(work: Promise<unknown>): void {
    this.#track(work);
  }
}
