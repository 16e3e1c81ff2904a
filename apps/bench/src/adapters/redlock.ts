import type { Redis } from 'ioredis';
import { type BenchAdapter, redlockUrlsOf } from './adapter.ts';
import { lockClientLocker } from './lock-client-locker.ts';
import { loadLocksmithRedis } from './locksmith-redis-module.ts';
import { connectRedis, quitAll } from './redis-connect.ts';

/** `@locksmith/redis` in Redlock mode over the independent instances, one client per instance per worker. */
export const redlockAdapter: BenchAdapter = {
  name: 'redlock',
  backend: 'redlock',
  kind: 'locksmith',
  floor: 'redlock-floor',
  summary:
    '@locksmith/redis, Redlock over N instances: parallel majority acquire, pub/sub wake-up, batched renewal',
  settings: {},
  requires: ['redlock'],
  packages: ['@locksmith/redis', 'ioredis'],
  scope: 'network',
  async open(env) {
    const { redisLocks } = await loadLocksmithRedis();
    const clients: Redis[] = [];
    try {
      for (const url of redlockUrlsOf(env)) clients.push(await connectRedis(url));
    } catch (error) {
      await quitAll(clients);
      throw error;
    }
    const locker = lockClientLocker(redisLocks({ clients }), () => quitAll(clients));
    return { acquire: (key, p) => locker.acquire(`${env.keyPrefix}${key}`, p), close: () => locker.close() };
  },
};
