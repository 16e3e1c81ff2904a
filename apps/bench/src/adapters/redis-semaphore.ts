import type { Redis } from 'ioredis';
import { type BenchAdapter, redisUrlOf } from './adapter.ts';
import { heldOnce } from './held-once.ts';
import { connectRedis, quitAll } from './redis-connect.ts';
import { type PeerVariant, redisPeerAdapter } from './redis-peer.ts';

/**
 * redis-semaphore 5.8 `Mutex` on the single Redis instance, one `Mutex` object per acquisition
 * (its API). It polls `SET NX PX` every `retryInterval` and refreshes each held lock with its own
 * interval timer (default: 80% of `lockTimeout`). When `acquire()` times out (default 10 s) the
 * adapter calls it again, as a user needing an unbounded wait would.
 */
function redisSemaphore(variant: PeerVariant): BenchAdapter {
  // `variant.options` are `Mutex` options besides `lockTimeout`.
  return redisPeerAdapter(variant, {
    settings: { retryInterval: 10, acquireTimeout: 10_000, ...variant.options },
    packages: ['redis-semaphore', 'ioredis'],
    async open(env) {
      const { Mutex, TimeoutError } = await import('redis-semaphore');
      const client: Redis = await connectRedis(redisUrlOf(env));
      return {
        async acquire(key, p) {
          let lost = false;
          const mutex = new Mutex(client, `${env.keyPrefix}redis-semaphore:${key}`, {
            ...variant.options,
            lockTimeout: p.ttlMs,
            // Its refresh timer runs by default; off unless the scenario keeps leases alive, as for every row.
            ...(p.keepAlive ? {} : { refreshInterval: 0 }),
            // Its default handler throws from a timer (an uncaught exception); record the loss instead.
            onLockLost: () => {
              lost = true;
            },
          });
          if (!p.wait) {
            if (!(await mutex.tryAcquire())) return undefined;
          } else {
            for (;;) {
              try {
                await mutex.acquire(p.signal);
                break;
              } catch (error) {
                if (!(error instanceof TimeoutError)) throw error;
              }
            }
          }
          return heldOnce(
            () => lost,
            () => mutex.release(),
          );
        },
        close: () => quitAll([client]),
      };
    },
  });
}

export const redisSemaphoreAdapter = redisSemaphore({
  name: 'redis-semaphore',
  summary: 'redis-semaphore 5.8 Mutex, defaults: poll every 10 ms, refresh timer per lock',
  options: {},
});

export const redisSemaphoreFastAdapter = redisSemaphore({
  name: 'redis-semaphore-fast',
  summary: 'redis-semaphore 5.8 Mutex, fastest retry: poll every 1 ms',
  options: { retryInterval: 1 },
});
