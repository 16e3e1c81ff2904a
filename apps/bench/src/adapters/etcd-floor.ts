import type { Etcd3, Watcher } from 'etcd3';
import { delay } from '../clock.ts';
import type { BenchAdapter } from './adapter.ts';
import { connectEtcd, leaseSeconds } from './etcd-connect.ts';
import { heldOnce } from './held-once.ts';

/** A waiter re-tries at least this often when no delete event arrives (a safety net only). */
const RETRY_MS = 100;

/** One lease per TTL, granted once and kept alive by one timer while holds need it. */
class ReusedLeases {
  readonly #ids = new Map<number, Promise<string>>();
  readonly #timers: ReturnType<typeof setInterval>[] = [];
  lost = false;

  constructor(private readonly client: Etcd3) {}

  get(ttlMs: number): Promise<string> {
    const seconds = leaseSeconds(ttlMs);
    let id = this.#ids.get(seconds);
    if (id === undefined) {
      id = this.client.leaseClient.leaseGrant({ TTL: seconds }).then((r) => {
        // Kept alive for the whole run: one keep-alive per lease per third of its TTL.
        const timer = setInterval(() => void this.#keepAlive(r.ID), (seconds * 1000) / 3);
        timer.unref();
        this.#timers.push(timer);
        return r.ID;
      });
      this.#ids.set(seconds, id);
    }
    return id;
  }

  async #keepAlive(id: string): Promise<void> {
    try {
      const stream = await this.client.leaseClient.leaseKeepAlive();
      const reply = await new Promise<{ TTL: string }>((resolve, reject) => {
        stream.on('data', resolve);
        stream.on('error', reject);
        stream.write({ ID: id });
      });
      stream.end();
      if (Number(reply.TTL) <= 0) this.lost = true;
    } catch {
      // A failed keep-alive is retried at the next tick; the lease outlives one miss.
    }
  }

  async revokeAll(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    const ids = await Promise.allSettled(this.#ids.values());
    await Promise.allSettled(
      ids.flatMap((r) =>
        r.status === 'fulfilled' ? [this.client.leaseClient.leaseRevoke({ ID: r.value })] : [],
      ),
    );
  }
}

/**
 * The floor of an etcd lock, written directly with etcd3's RPC clients: one txn put-if-absent
 * (`create_revision == 0`) under a lease granted once per TTL and reused, one delete to release —
 * the fewest raft writes a lock needs. Waiters watch the key from now and retry on its delete
 * (every waiter wakes: no queue, no fairness).
 */
export const etcdFloorAdapter: BenchAdapter = {
  name: 'etcd-floor',
  backend: 'etcd',
  kind: 'floor',
  summary: 'txn put-if-absent under a reused lease + delete (2 raft writes); waiters watch the key and retry',
  settings: { safetyRetryMs: RETRY_MS },
  requires: ['etcd'],
  packages: ['etcd3'],
  scope: 'network',
  async open(env) {
    const client = await connectEtcd();
    const leases = new ReusedLeases(client);
    const attempt = async (key: Buffer, lease: string) =>
      (
        await client.kv.txn({
          compare: [{ key, target: 'Create', result: 'Equal', create_revision: 0 }],
          success: [{ request_put: { key, value: Buffer.alloc(0), lease } }],
          failure: [],
        })
      ).succeeded;
    return {
      async acquire(name, p) {
        const key = Buffer.from(`${env.keyPrefix}etcd-floor:${name}`);
        const lease = await leases.get(p.ttlMs);
        let watcher: Watcher | undefined;
        try {
          while (!(await attempt(key, lease))) {
            if (!p.wait) return undefined;
            p.signal?.throwIfAborted();
            if (watcher === undefined) {
              // Watch from now, then try again at once: a delete before the watch is not missed.
              watcher = await client.watch().key(key).only('delete').create();
              continue;
            }
            const w: Watcher = watcher;
            let onDelete: () => void = () => undefined;
            const deleted = new Promise<void>((resolve) => {
              onDelete = resolve;
              w.once('delete', onDelete);
            });
            await Promise.race([deleted, delay(RETRY_MS)]);
            w.off('delete', onDelete); // the timer won: drop the listener rather than pile them up
          }
        } finally {
          watcher?.cancel().catch(() => undefined);
        }
        return heldOnce(
          () => leases.lost,
          () => client.kv.deleteRange({ key }),
        );
      },
      async close() {
        await leases.revokeAll();
        client.close();
      },
    };
  },
};
