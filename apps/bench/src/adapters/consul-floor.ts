import type Consul from 'consul';
import type { BenchAdapter } from './adapter.ts';
import { connectConsul, sessionTtl, waitUntilFree } from './consul-connect.ts';
import { heldOnce } from './held-once.ts';

/** One session per TTL, created once and renewed by one timer for the whole run. */
class ReusedSessions {
  readonly #ids = new Map<string, Promise<string>>();
  readonly #timers: ReturnType<typeof setInterval>[] = [];
  lost = false;

  constructor(private readonly client: Consul) {}

  get(ttlMs: number): Promise<string> {
    const ttl = sessionTtl(ttlMs);
    let id = this.#ids.get(ttl);
    if (id === undefined) {
      id = this.client.session.create({ ttl, lockdelay: '0s', behavior: 'delete' } as never).then((r) => {
        const sid = (r as { ID: string }).ID;
        const timer = setInterval(() => void this.#renew(sid), (Number.parseInt(ttl, 10) * 1000) / 3);
        timer.unref();
        this.#timers.push(timer);
        return sid;
      });
      this.#ids.set(ttl, id);
    }
    return id;
  }

  async #renew(id: string): Promise<void> {
    try {
      await this.client.session.renew(id);
    } catch {
      this.lost = true;
    }
  }

  async destroyAll(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    const ids = await Promise.allSettled(this.#ids.values());
    await Promise.allSettled(
      ids.flatMap((r) => (r.status === 'fulfilled' ? [this.client.session.destroy(r.value)] : [])),
    );
  }
}

/**
 * The floor of a Consul lock: `PUT ?acquire=<session>` and `PUT ?release=<session>` with a session
 * created once per TTL and reused (one raft write each, no token read, the key left behind).
 * Waiters block on the key (a blocking query) and retry once its session is cleared; every
 * waiter wakes: no queue, no fairness.
 */
export const consulFloorAdapter: BenchAdapter = {
  name: 'consul-floor',
  backend: 'consul',
  kind: 'floor',
  summary:
    'PUT ?acquire + PUT ?release with a reused session (2 raft writes); waiters block on the key and retry',
  settings: {},
  requires: ['consul'],
  packages: ['consul'],
  scope: 'network',
  async open(env) {
    const client = await connectConsul();
    const sessions = new ReusedSessions(client);
    return {
      async acquire(name, p) {
        const key = `${env.keyPrefix}consul-floor/${encodeURIComponent(name)}`;
        const session = await sessions.get(p.ttlMs);
        while (!(await client.kv.set({ key, value: '', acquire: session } as never))) {
          if (!p.wait) return undefined;
          await waitUntilFree(client, key, p.signal);
        }
        return heldOnce(
          () => sessions.lost,
          () => client.kv.set({ key, value: '', release: session } as never),
        );
      },
      async close() {
        await sessions.destroyAll();
        client.destroy();
      },
    };
  },
};
