import { delay, monotonicNs } from '../clock.ts';
import { type BenchAdapter, type Held, redlockUrlsOf } from './adapter.ts';
import { connectRedis, quitAll } from './redis-connect.ts';
import {
  BatchKeeper,
  type FloorRedis,
  type KeptHold,
  newToken,
  setNx,
  withFloorScripts,
} from './redis-floor-ops.ts';

/**
 * The floor of Redlock over N independent instances: `SET NX PX` on all in parallel (one round
 * trip), held on a majority within the validity time (TTL − elapsed − 1% − 2 ms); a failed attempt
 * deletes what it set on every instance before retrying 1–2 ms later; release everywhere.
 */
export const redlockFloorAdapter: BenchAdapter = {
  name: 'redlock-floor',
  backend: 'redlock',
  kind: 'floor',
  summary:
    'SET NX PX on all instances in parallel, majority within validity, cleanup of partial holds; retry every 1–2 ms',
  settings: { retryMs: '1–2' },
  requires: ['redlock'],
  packages: ['ioredis'],
  scope: 'network',
  async open(env) {
    const clients: FloorRedis[] = [];
    try {
      for (const url of redlockUrlsOf(env)) clients.push(withFloorScripts(await connectRedis(url)));
    } catch (error) {
      await quitAll(clients);
      throw error;
    }
    const quorum = Math.floor(clients.length / 2) + 1;
    const keeper = new BatchKeeper(clients, quorum);
    const releaseAll = (k: string, token: string) =>
      Promise.all(clients.map((c) => c.floorRelease(k, token).catch(() => 0)));
    const attempt = async (k: string, token: string, ttlMs: number): Promise<boolean> => {
      const start = monotonicNs();
      const votes = await Promise.all(clients.map((c) => setNx(c, k, token, ttlMs).catch(() => false)));
      const elapsedMs = Number(monotonicNs() - start) / 1e6;
      const validity = ttlMs - elapsedMs - (ttlMs * 0.01 + 2);
      if (votes.filter(Boolean).length >= quorum && validity > 0) return true;
      if (votes.some(Boolean)) await releaseAll(k, token);
      return false;
    };
    return {
      async acquire(key, p) {
        const k = `${env.keyPrefix}floor:${key}`;
        const token = newToken();
        for (;;) {
          if (await attempt(k, token, p.ttlMs)) break;
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
            await releaseAll(k, token);
          },
        };
        return held;
      },
      async close() {
        keeper.stop();
        await quitAll(clients);
      },
    };
  },
};
