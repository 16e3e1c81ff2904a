import { delay } from '../clock.ts';
import type { BenchEnv, Locker } from './adapter.ts';
import { heldOnce } from './held-once.ts';
import { quitAll } from './redis-connect.ts';
import { BatchKeeper, type FloorRedis, type KeptHold, newToken } from './redis-floor-ops.ts';

/** How a Redis floor takes and gives back one key; the rest of its locker is the same for all. */
export interface FloorOps {
  readonly clients: readonly FloorRedis[];
  /** Instances that must renew a hold for it to stay held. */
  readonly quorum: number;
  /** One try to take `key`: true when taken. */
  attempt(key: string, token: string, ttlMs: number): Promise<boolean>;
  release(key: string, token: string): Promise<unknown>;
}

/**
 * The locker of a Redis floor: a waiter retries `attempt` every 1–2 ms, kept holds are renewed by
 * one {@link BatchKeeper} over all clients, close stops it and quits the clients.
 */
export function redisFloorLocker(env: BenchEnv, ops: FloorOps): Locker {
  const keeper = new BatchKeeper(ops.clients, ops.quorum);
  return {
    async acquire(key, p) {
      const k = `${env.keyPrefix}floor:${key}`;
      const token = newToken();
      for (;;) {
        if (await ops.attempt(k, token, p.ttlMs)) break;
        if (!p.wait) return undefined;
        p.signal?.throwIfAborted();
        await delay(1 + Math.random());
      }
      const hold: KeptHold = { key: k, token, ttlMs: p.ttlMs, lost: false };
      if (p.keepAlive) keeper.add(hold);
      return heldOnce(
        () => hold.lost,
        async () => {
          keeper.remove(hold);
          await ops.release(k, token);
        },
      );
    },
    async close() {
      keeper.stop();
      await quitAll(ops.clients);
    },
  };
}
