import type { Clock } from './clock.ts';
import type { LockLostError } from './errors.ts';
import type { ExtendRequest, Hold } from './protocol.ts';

/** A lease as the keeper sees it. `createLockClient` makes one per acquired lease. */
export interface KeptLease<H extends Hold = Hold> {
  /** The backend's hold; its `sentAt` and `ttlMs` date the first deadline. */
  readonly hold: H;
  /** Renew in the background (`true`), or only keep the deadline and declare the loss (`false`). */
  readonly autoRenew: boolean;
  /** Called once by the keeper when the lease is lost: its deadline passed or extend said `false`. */
  lose(error: LockLostError): void;
}

/**
 * Keeps a client's leases: renews them before they expire and declares them lost when they can no
 * longer be trusted. One keeper per client, one timer for all of its leases.
 * `@locksmith/lease` provides the implementation.
 */
export interface LeaseKeeper<H extends Hold = Hold> {
  /**
   * Starts keeping a lease; its first deadline is `hold.sentAt + hold.ttlMs` minus a drift margin.
   * Returns `false`, keeping nothing, when that deadline has already passed (the hold arrived after
   * a pause): such a hold must never be handed to the user.
   */
  keep(lease: KeptLease<H>): boolean;
  /**
   * Declares the lease lost at once (calling its `lose`) if its deadline has passed, whether or not
   * a timer has fired yet (after a GC pause or SIGSTOP, timers run late). Returns whether it is
   * still kept.
   */
  check(lease: KeptLease<H>): boolean;
  /**
   * Extends the lease to `ttlMs` from now (the user's `lease.extend`), after any renewal of it in
   * flight. The deadline follows the TTL this request carried, also when it is shorter.
   * @throws LockLostError when the backend says the lease is gone (the lease is then lost);
   *   BackendUnavailableError when it could not be reached.
   */
  extend(lease: KeptLease<H>, ttlMs: number): Promise<void>;
  /** Stops keeping a lease (it was released). */
  forget(lease: KeptLease<H>): void;
  /** Monotonic deadline of a kept lease, or `undefined` when it is not kept. */
  deadlineOf(lease: KeptLease<H>): number | undefined;
  /** Stops the timer. Leases still kept are forgotten silently. */
  close(): void;
}

/** What a keeper needs from the client it serves. */
export interface LeaseKeeperDeps<H extends Hold = Hold> {
  /** The client's monotonic clock: deadlines and timers are read from it. */
  readonly clock: Clock;
  /** The backend's name, for the errors the keeper raises. */
  readonly backend: string;
  /** The protocol's batched {@link LockProtocol.extend}: one call renews every lease due. */
  extend(requests: readonly ExtendRequest<H>[]): Promise<boolean[]>;
}

/** Builds the keeper of one client. */
export type LeaseKeeperFactory = <H extends Hold>(deps: LeaseKeeperDeps<H>) => LeaseKeeper<H>;
