export { consulElectionKey, consulLockKey, DEFAULT_PREFIX } from './consul-keys.ts';
export type { ConsulLocksOptions } from './consul-locks.ts';
export { consulLocks } from './consul-locks.ts';
