import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import { type BenchAdapter, redisUrlOf } from './adapter.ts';
import { heldOnce } from './held-once.ts';
import { connectRedis, quitAll } from './redis-connect.ts';
import { type PeerVariant, redisPeerAdapter } from './redis-peer.ts';

/** The part of node-redlock 4 the bench uses (the package ships no types). */
interface RedlockLock {
  unlock(): Promise<unknown>;
  extend(ttlMs: number): Promise<RedlockLock>;
}
interface Redlock {
  lock(resource: string, ttlMs: number): Promise<RedlockLock>;
  on(event: 'clientError', listener: (error: unknown) => void): void;
}
type RedlockClass = (new (
  clients: Redis[],
  options: Record<string, number>,
) => Redlock) & {
  LockError: new (...args: never[]) => Error;
};

/**
 * node-redlock (npm `redlock` 4, the latest release) on the single Redis instance. A waiter polls
 * with the library's retry settings; when the library gives up (`retryCount` attempts), the adapter
 * calls `lock()` again, as a user needing an unbounded wait would. Lock kept alive with one
 * `lock.extend()` timer per lock at half the TTL, the library's documented way.
 */
function nodeRedlock(variant: PeerVariant): BenchAdapter {
  // `variant.options` go to `new Redlock(clients, options)`.
  return redisPeerAdapter(variant, {
    settings: { retryCount: 10, retryDelay: 200, retryJitter: 100, ...variant.options },
    packages: ['redlock', 'ioredis'],
    async open(env) {
      const Redlock = createRequire(import.meta.url)('redlock') as RedlockClass;
      const client = await connectRedis(redisUrlOf(env));
      const waiting = new Redlock([client], { ...variant.options });
      const once = new Redlock([client], { ...variant.options, retryCount: 0 });
      for (const r of [waiting, once]) r.on('clientError', () => {});
      return {
        async acquire(key, p) {
          const resource = `${env.keyPrefix}node-redlock:${key}`;
          let lock: RedlockLock;
          for (;;) {
            try {
              lock = await (p.wait ? waiting : once).lock(resource, p.ttlMs);
              break;
            } catch (error) {
              if (!(error instanceof Redlock.LockError)) throw error;
              if (!p.wait) return undefined;
              p.signal?.throwIfAborted();
            }
          }
          let lost = false;
          let timer: ReturnType<typeof setTimeout> | undefined;
          const extend = () => {
            timer = setTimeout(() => {
              lock.extend(p.ttlMs).then(extend, () => {
                lost = true;
              });
            }, p.ttlMs / 2);
            timer.unref();
          };
          if (p.keepAlive) extend();
          return heldOnce(
            () => lost,
            async () => {
              clearTimeout(timer);
              await lock.unlock().catch(() => {}); // unlock fails when the lock already expired
            },
          );
        },
        close: () => quitAll([client]),
      };
    },
  });
}

export const nodeRedlockAdapter = nodeRedlock({
  name: 'node-redlock',
  summary:
    'node-redlock 4.2.0 (npm redlock `latest`; many users run the 5.0 beta, not measured here), defaults: retry every 200 ± 100 ms, 10 retries',
  options: {},
});

export const nodeRedlockFastAdapter = nodeRedlock({
  name: 'node-redlock-fast',
  summary: 'node-redlock 4.2.0, fastest retry: every 1 ± 1 ms, unlimited retries',
  options: { retryCount: -1, retryDelay: 1, retryJitter: 1 },
});
