import type { LockClient } from '@locksmith/core';
import type { Redis } from 'ioredis';

/** The part of `@locksmith/redis` the bench uses (typed here so the bench builds before it lands). */
interface RedisModule {
  redisLocks(options: { client: Redis } | { clients: Redis[] }): LockClient;
}

/** Loads `@locksmith/redis`; an error says how to build it. */
export async function loadLocksmithRedis(): Promise<RedisModule> {
  // A variable specifier: the bench type-checks whether or not @locksmith/redis is built.
  const specifier = '@locksmith/redis';
  const mod = (await import(specifier)) as Partial<RedisModule>;
  if (typeof mod.redisLocks !== 'function') {
    throw new Error(
      '@locksmith/redis does not export redisLocks yet (build it: pnpm --filter @locksmith/redis build)',
    );
  }
  return mod as RedisModule;
}
