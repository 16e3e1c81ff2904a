import type { BenchAdapter } from './adapter.ts';
import { connectConsul, sessionTtl, waitUntilFree } from './consul-connect.ts';
import { heldOnce } from './held-once.ts';

/**
 * The lock recipe of Consul's documentation, written plainly, per acquisition: create a session
 * (TTL, Consul's default lock-delay), `PUT ?acquire=<session>`; when refused, block on the key
 * until its `Session` is empty and try again; renew the session while held; release with
 * `PUT ?release=<session>` and destroy the session.
 */
export const consulRecipeAdapter: BenchAdapter = {
  name: 'consul-recipe',
  backend: 'consul',
  kind: 'peer',
  summary:
    'Consul docs recipe: session per acquisition, PUT ?acquire, blocking query until the Session clears, ?release + destroy',
  settings: {},
  requires: ['consul'],
  packages: ['consul'],
  scope: 'network',
  async open(env) {
    const client = await connectConsul();
    return {
      async acquire(name, p) {
        const key = `${env.keyPrefix}consul-recipe/${encodeURIComponent(name)}`;
        const ttl = sessionTtl(p.ttlMs);
        const { ID: session } = (await client.session.create({ ttl } as never)) as { ID: string };
        let held = false;
        try {
          while (!(await client.kv.set({ key, value: '', acquire: session } as never))) {
            if (!p.wait) return undefined;
            await waitUntilFree(client, key, p.signal);
          }
          held = true;
        } finally {
          if (!held) await client.session.destroy(session).catch(() => undefined);
        }
        let lost = false;
        const timer = p.keepAlive
          ? setInterval(
              () =>
                void client.session.renew(session).catch(() => {
                  lost = true;
                }),
              (Number.parseInt(ttl, 10) * 1000) / 3,
            )
          : undefined;
        timer?.unref();
        return heldOnce(
          () => lost,
          async () => {
            clearInterval(timer);
            await client.kv.set({ key, value: '', release: session } as never);
            await client.session.destroy(session);
          },
        );
      },
      async close() {
        client.destroy();
      },
    };
  },
};
