import { delay } from '../clock.ts';
import { type BenchAdapter, type Held, redisUrlOf } from './adapter.ts';
import { connectRedis, quitAll } from './redis-connect.ts';
import { BatchKeeper, type KeptHold, newToken, setNx, withFloorScripts } from './redis-floor-ops.ts';

/**
 * The floor of a single-instance Redis lock, written directly with ioredis: `SET NX PX` to take
 * (one round trip), a Lua compare-and-delete to release (one round trip), waiters retrying every
 * 1–2 ms, renewal of all holds in one pipeline.
 */
export const redisFloorAdapter: BenchAdapter = {
  name: 'redis-floor',
  backend: 'redis',
  kind: 'floor',
  summary: 'SET NX PX + Lua compare-and-delete with ioredis; waiters retry every 1–2 ms',
  settings: { retryMs: '1–2' },
  requires: ['redis'],
  packages: ['ioredis'],
  scope: 'network',
  async open(env) {
    const client = withFloorScripts(await connectRedis(redisUrlOf(env)));
    const keeper = new BatchKeeper([client], 1);
    return {
      async acquire(key, p) {
        const k = `${env.keyPrefix}floor:${key}`;
        const token = newToken();
        for (;;) {
          if (await setNx(client, k, token, p.ttlMs)) break;
          if (!p.wait) return undefined;
          p.signal?.throwIfAborted();
          await delay(1 + Math.random());
        }
        const hold: KeptHold = { key: k, token, ttlMs: p.ttlMs, lost: false };
        if (p.keepAlive) keeper.add(hold);
        let done = false;
        const held: Held = {
          get lost() {
            return hold.lost;
          },
          async release() {
            if (done) return;
            done = true;
            keeper.remove(hold);
            await client.floorRelease(k, token);
          },
        };
        return held;
      },
      async close() {
        keeper.stop();
        await quitAll([client]);
      },
    };
  },
};
