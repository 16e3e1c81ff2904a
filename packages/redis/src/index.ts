/**
 * Redis locks on the locksmith contract: single instance and Redlock, push wake-up, fencing tokens,
 * batched renewal.
 *
 * @module @locksmith/redis
 */
export type { RedisLockKeys } from './redis-keys.ts';
export { DEFAULT_PREFIX, redisLockKeys } from './redis-keys.ts';
export type { RedisLocksOptions } from './redis-locks.ts';
export { redisLocks } from './redis-locks.ts';
