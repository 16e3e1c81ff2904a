// `@locksmith/core`: the contract users program against. Backend authors also import
// `@locksmith/core/protocol` (createLockClient, LockProtocol, the wait loop, validators).
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
