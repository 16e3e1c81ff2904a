import type { ElectionClient, LockClient } from '@locksmith/core';
import type { AcquireParams, Held, Locker } from './adapter.ts';
import { heldOnce } from './held-once.ts';

/**
 * A {@link Locker} over a locksmith `LockClient`, used as a user would: `acquire` to wait,
 * `tryAcquire` to try once, `release()`. Renewal matches the scenario (`autoRenew: keepAlive`), as
 * the peers and floors do: a lock that renews where the others do not would pay for work they skip.
 */
export function lockClientLocker(client: LockClient, closeConnections?: () => Promise<void>): Locker {
  // Lost leases surface as `error` events; the held-leases scenario counts them through `lost`.
  client.on('error', () => {});
  const elector = client as Partial<ElectionClient>;
  return {
    ...(elector.elect === undefined
      ? {}
      : {
          async elect(name: string, p: AcquireParams): Promise<Held> {
            const leadership = await (elector as ElectionClient).elect(name, {
              ttlMs: p.ttlMs,
              ...(p.signal === undefined ? {} : { signal: p.signal }),
            });
            return heldOnce(
              () => !leadership.isLeader,
              () => leadership.resign(),
            );
          },
        }),
    async acquire(key, p) {
      const options = {
        ttlMs: p.ttlMs,
        autoRenew: p.keepAlive,
        ...(p.signal === undefined ? {} : { signal: p.signal }),
      };
      const lease = p.wait ? await client.acquire(key, options) : await client.tryAcquire(key, options);
      if (lease === undefined) return undefined;
      let released = false;
      const held: Held = {
        get lost() {
          return !released && lease.signal.aborted;
        },
        async release() {
          released = true;
          await lease.release();
        },
      };
      return held;
    },
    async close() {
      await client.close();
      await closeConnections?.();
    },
  };
}
