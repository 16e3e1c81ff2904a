import { type BenchAdapter, redisUrlOf } from './adapter.ts';
import { lockClientLocker } from './lock-client-locker.ts';
import { connectRedis, quitAll } from './redis-connect.ts';

/** `@locksmith/redis` on the single instance, one ioredis client per worker. */
export const redisAdapter: BenchAdapter = {
  name: 'redis',
  backend: 'redis',
  kind: 'locksmith',
  floor: 'redis-floor',
  summary:
    '@locksmith/redis, single instance: Lua acquire with fencing counter, pub/sub wake-up, batched renewal',
  settings: {},
  requires: ['redis'],
  packages: ['@locksmith/redis', 'ioredis'],
  scope: 'network',
  async open(env) {
    const { redisLocks } = await import('@locksmith/redis');
    const client = await connectRedis(redisUrlOf(env));
    const locker = lockClientLocker(redisLocks({ client }), () => quitAll([client]));
    return { acquire: (key, p) => locker.acquire(`${env.keyPrefix}${key}`, p), close: () => locker.close() };
  },
};
