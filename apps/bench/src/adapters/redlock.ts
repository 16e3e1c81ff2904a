import { type BenchAdapter, redlockUrlsOf } from './adapter.ts';
import { lockClientLocker } from './lock-client-locker.ts';
import { connectAll, quitAll } from './redis-connect.ts';

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
    const { redisLocks } = await import('@locksmith/redis');
    const clients = await connectAll(redlockUrlsOf(env));
    const locker = lockClientLocker(redisLocks({ clients }), () => quitAll(clients));
    return { acquire: (key, p) => locker.acquire(`${env.keyPrefix}${key}`, p), close: () => locker.close() };
  },
};
