/**
 * What backend authors need to build a {@link @locksmith/core!LockClient}: `createLockClient` over a
 * {@link LockProtocol}, the one wait loop, the lease keeper contract and the validators. Users
 * import the contract (LockClient, Lease, options, errors) from `@locksmith/core` itself.
 *
 * @module @locksmith/core/protocol
 */
export { raceAbort, sleep } from './abort.ts';
export type { AbortLike } from './acquire-stop.ts';
export { bounded, Cleanups } from './cleanups.ts';
export type { CreateLockClientOptions } from './create-lock-client.ts';
export { createLockClient } from './create-lock-client.ts';
export type { KeptLease, LeaseKeeper, LeaseKeeperDeps, LeaseKeeperFactory } from './keeper.ts';
export type { AcquireRequest, ElectionProtocol, ExtendRequest, Hold, LockProtocol } from './protocol.ts';
export type { SharedSession } from './session-extend.ts';
export { extendBySession } from './session-extend.ts';
export type { IntegerRule, ResolvedAcquireOptions, ResolvedElectOptions } from './validate.ts';
export {
  describeValue,
  MAX_TIMER_MS,
  validateAcquireOptions,
  validateBoolean,
  validateClock,
  validateElectOptions,
  validateInteger,
  validateKey,
  validateObserveOptions,
  validateOptionsObject,
  validateSignal,
} from './validate.ts';
export type { LockAttempt, TakeOutcome, TrackWork } from './wait-loop.ts';
export { waitForHold } from './wait-loop.ts';
