export { raceAbort, sleep } from './abort.ts';
export type { Clock } from './clock.ts';
export { systemClock } from './clock.ts';
export type { CreateLockClientOptions } from './create-lock-client.ts';
export { createLockClient } from './create-lock-client.ts';
export type { LockLostReason, LocksmithErrorCode } from './errors.ts';
export {
  BackendUnavailableError,
  InvalidArgumentError,
  LockLostError,
  LockNotHeldError,
  LocksmithError,
  LockTimeoutError,
} from './errors.ts';
export type { KeptLease, LeaseKeeper, LeaseKeeperDeps, LeaseKeeperFactory } from './keeper.ts';
export type { AcquireRequest, ExtendRequest, Hold, LockProtocol } from './protocol.ts';
export type {
  AcquireOptions,
  Capabilities,
  Lease,
  LockClient,
  LockClientEvents,
  Primitive,
} from './types.ts';
export type { IntegerRule, ResolvedAcquireOptions } from './validate.ts';
export {
  DEFAULT_TTL_MS,
  describeValue,
  MAX_KEY_BYTES,
  MAX_TIMER_MS,
  validateAcquireOptions,
  validateBoolean,
  validateClock,
  validateInteger,
  validateKey,
  validateOptionsObject,
  validateSignal,
} from './validate.ts';
export type { LockAttempt, TakeOutcome, TrackWork } from './wait-loop.ts';
export { waitForHold } from './wait-loop.ts';
