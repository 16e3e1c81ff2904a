/**
 * Consul locks on the locksmith contract: one session per client, KV acquire/release,
 * blocking-query wake-ups, strict fencing tokens.
 *
 * @module @locksmith/consul
 */
export { consulElectionKey, consulLockKey, DEFAULT_PREFIX } from './consul-keys.ts';
export type { ConsulLocksOptions } from './consul-locks.ts';
export { consulLocks } from './consul-locks.ts';
