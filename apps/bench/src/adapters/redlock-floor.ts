import { monotonicNs } from '../clock.ts';
import { type BenchAdapter, redlockUrlsOf } from './adapter.ts';
import { connectAll } from './redis-connect.ts';
import { redisFloorLocker } from './redis-floor-locker.ts';
import { setNx, withFloorScripts } from './redis-floor-ops.ts';

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
    'SET NX PX on all instances in parallel, majority within validity, cleanup of partial holds; retry every 1–2 ms (under contention a polling baseline)',
  pollsUnderContention: true,
  settings: { retryMs: '1–2' },
  requires: ['redlock'],
  packages: ['ioredis'],
  scope: 'network',
  async open(env) {
    const clients = (await connectAll(redlockUrlsOf(env))).map(withFloorScripts);
    const quorum = Math.floor(clients.length / 2) + 1;
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
    return redisFloorLocker(env, { clients, quorum, attempt, release: releaseAll });
  },
};
