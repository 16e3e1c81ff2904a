import { delay } from '../clock.ts';
import type { BenchAdapter } from './adapter.ts';
import { connectEtcd, leaseSeconds } from './etcd-connect.ts';
import { heldOnce } from './held-once.ts';

/**
 * etcd3 1.1's own `client.lock(key)`: each `acquire()` grants a lease, tries a put-if-absent and,
 * when the key is taken, revokes the lease and rejects at once (three writes, no waiting). A user
 * who needs to wait must loop, as this adapter does (1–2 ms apart). The lease is kept alive by
 * etcd3 itself, one keep-alive stream per lock. Its `election()` is the peer of the failover scenario.
 */
export const etcd3LockAdapter: BenchAdapter = {
  name: 'etcd3-lock',
  backend: 'etcd',
  kind: 'peer',
  summary:
    'etcd3 1.1 client.lock(): lease grant + put-if-absent per try, fails at once; retried every 1–2 ms',
  settings: { retryMs: '1–2' },
  requires: ['etcd'],
  packages: ['etcd3'],
  scope: 'network',
  elects: true,
  async open(env) {
    const { EtcdLockFailedError } = await import('etcd3');
    const client = await connectEtcd();
    return {
      async acquire(name, p) {
        const key = `${env.keyPrefix}etcd3-lock:${name}`;
        for (;;) {
          const lock = client.lock(key).ttl(leaseSeconds(p.ttlMs));
          try {
            await lock.acquire();
            return heldOnce(
              () => false,
              () => lock.release(),
            );
          } catch (error) {
            if (!(error instanceof EtcdLockFailedError)) throw error;
          }
          if (!p.wait) return undefined;
          p.signal?.throwIfAborted();
          await delay(1 + Math.random());
        }
      },
      // etcd3's own election (the failover scenario): campaign, wait for 'elected'; leadership is
      // lost when the campaign emits 'error' (its lease keep-alive failed).
      async elect(name, p) {
        const campaign = client
          .election(`${env.keyPrefix}etcd3-election:${name}`, leaseSeconds(p.ttlMs))
          .campaign('');
        let lost = false;
        campaign.on('error', () => {
          lost = true;
        });
        const abort = new Promise<never>((_, reject) => {
          p.signal?.addEventListener('abort', () => reject(p.signal?.reason), { once: true });
        });
        try {
          await Promise.race([campaign.wait(), abort]);
        } catch (error) {
          await campaign.resign().catch(() => undefined);
          throw error;
        }
        return heldOnce(
          () => lost,
          () => campaign.resign(),
        );
      },
      async close() {
        client.close();
      },
    };
  },
};
