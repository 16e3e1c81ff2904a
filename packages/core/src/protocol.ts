import type { LockLostError } from './errors.ts';
import type { Capabilities, LeaderInfo } from './types.ts';
import type { LockAttempt } from './wait-loop.ts';

/** What a backend's protocol returns for a lock it took. Backends extend it with their own fields. */
export interface Hold {
  /** The key held, as the user passed it. */
  readonly key: string;
  /** The fencing token the backend issued; becomes `lease.token`. */
  readonly token: bigint;
  /** Monotonic time (the client's `Clock`) at which the request that took the lock was sent. */
  readonly sentAt: number;
  /** The lease length the backend granted, in milliseconds. */
  readonly ttlMs: number;
}

/** One acquisition attempt, as core hands it to a protocol. Options are already validated. */
export interface AcquireRequest {
  /** The lease length to ask the backend for, in milliseconds. */
  readonly ttlMs: number;
  /** `false`: try once (a busy lock ends the attempt). `true`: wait until held or aborted. */
  readonly wait: boolean;
  /**
   * Aborts on `waitMs` timeout, on the caller's signal, or on `close()`. The wait loop then stops
   * and calls the attempt's `leave`; an attempt may also pass it to work of its own. Made when
   * first read (already aborted if the acquire was): read it only if you use it.
   */
  readonly signal: AbortSignal;
}

/** One renewal in a batch. */
export interface ExtendRequest<H extends Hold = Hold> {
  /** The hold to extend. */
  readonly hold: H;
  /** Its new lease length from now, in milliseconds. */
  readonly ttlMs: number;
}

/**
 * The part of a lock that differs per backend. `createLockClient` derives everything else:
 * validation, timeouts, abort, renewal, the `Lease` object, `withLock` and `close()`.
 */
export interface LockProtocol<H extends Hold = Hold> {
  /** The backend's name; becomes {@link @locksmith/core!LockClient.backend}. */
  readonly backend: string;
  /** What the protocol guarantees; becomes {@link @locksmith/core!LockClient.capabilities}. */
  readonly capabilities: Capabilities;
  /**
   * Starts one `acquire` of `key`: core's wait loop (`waitForHold`) then calls the attempt's
   * `take` until it holds, waiting between tries for the attempt's wake-up or retry hint, and calls
   * its `leave` on any exit without a hold. `request.signal` is the loop's; the attempt may use it
   * to stop work of its own.
   */
  attempt(key: string, request: AcquireRequest): LockAttempt<H>;
  /** Releases `hold` if it is still the holder. Resolves `false` when it no longer held the lock. */
  release(hold: H): Promise<boolean>;
  /**
   * Extends every hold, in one round trip where the backend allows. Resolves per request: `true`
   * extended, `false` the hold is gone for good (expired or taken). Rejects when the backend could
   * not be reached; the keeper then retries until the lease's deadline.
   */
  extend(requests: readonly ExtendRequest<H>[]): Promise<boolean[]>;
  /**
   * Optional: the protocol reports holds it knows are lost (session expired, connection gone)
   * without waiting for the next renewal. Called once by `createLockClient`.
   */
  onLoss?(report: (hold: H, error: LockLostError) => void): void;
  /**
   * Optional: leader election (declare `'elect'` in `capabilities.primitives`). Candidacies are
   * holds like locks: core renews, releases and reports their loss through the methods above.
   */
  readonly election?: ElectionProtocol<H>;
  /** Closes connections the protocol opened itself. Holds were already released by core. */
  close(): Promise<void>;
}

/** The election part of a {@link LockProtocol}. Names are validated by core like keys. */
export interface ElectionProtocol<H extends Hold = Hold> {
  /**
   * One candidacy for `name`, carrying `value` for observers. Core's wait loop runs it exactly
   * like a lock attempt (`request.wait` is always `true`); the hold it yields is the leadership,
   * and its `token` is the term: strictly greater than every earlier leader's of `name`.
   * Elections live apart from locks: an election and a lock of the same name never meet.
   */
  campaign(name: string, value: string, request: AcquireRequest): LockAttempt<H>;
  /**
   * The leader of `name` now, if any, then each new leader (a new term), until `signal` aborts
   * (the iterable then returns). A backend failure ends it with a rejection.
   */
  observe(name: string, signal: AbortSignal): AsyncIterable<LeaderInfo>;
}
