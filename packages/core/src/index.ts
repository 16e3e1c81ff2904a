/**
 * The locksmith contract: LockClient, Lease, errors, validation and the base every backend builds on.
 *
 * Users program against what this entry exports; backend authors also import
 * `@locksmith/core/protocol` (createLockClient, LockProtocol, the wait loop, validators).
 *
 * @module @locksmith/core
 */
export type { Clock } from './clock.ts';
export { systemClock } from './clock.ts';
export type { LockLostReason, LocksmithErrorCode } from './errors.ts';
export {
  BackendUnavailableError,
  InvalidArgumentError,
  LockLostError,
  LockNotHeldError,
  LocksmithError,
  LockTimeoutError,
} from './errors.ts';
export type {
  AcquireOptions,
  Capabilities,
  ElectionClient,
  ElectOptions,
  Elector,
  LeaderInfo,
  Leadership,
  Lease,
  LockClient,
  LockClientEvents,
  ObserveOptions,
  Primitive,
} from './types.ts';
export { DEFAULT_TTL_MS, MAX_KEY_BYTES, MAX_LEADER_VALUE_BYTES } from './validate.ts';
