import { type BenchAdapter, redisUrlOf } from './adapter.ts';
import { connectRedis } from './redis-connect.ts';
import { redisFloorLocker } from './redis-floor-locker.ts';
import { setNx, withFloorScripts } from './redis-floor-ops.ts';

/**
 * The floor of a single-instance Redis lock, written directly with ioredis: `SET NX PX` to take
 * (one round trip), a Lua compare-and-delete to release (one round trip), waiters retrying every
 * 1–2 ms, renewal of all holds in one pipeline.
 */
export const redisFloorAdapter: BenchAdapter = {
  name: 'redis-floor',
  backend: 'redis',
  kind: 'floor',
  summary:
    'SET NX PX + Lua compare-and-delete with ioredis; waiters retry every 1–2 ms (under contention a polling baseline, not a lower bound)',
  pollsUnderContention: true,
  settings: { retryMs: '1–2' },
  requires: ['redis'],
  packages: ['ioredis'],
  scope: 'network',
  async open(env) {
    const client = withFloorScripts(await connectRedis(redisUrlOf(env)));
    return redisFloorLocker(env, {
      clients: [client],
      quorum: 1,
      attempt: (k, token, ttlMs) => setNx(client, k, token, ttlMs),
      release: (k, token) => client.floorRelease(k, token),
    });
  },
};
