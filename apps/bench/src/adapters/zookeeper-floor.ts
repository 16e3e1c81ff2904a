import type { BenchAdapter } from './adapter.ts';
import { heldOnce } from './held-once.ts';
import {
  type BenchZooKeeper,
  codeOf,
  connectZooKeeper,
  ensureNode,
  ZK_EPHEMERAL_SEQUENTIAL,
  ZK_NONODE,
  zk,
} from './zookeeper-connect.ts';

const ROOT = '/locksmith-bench-floor';

/**
 * The floor of a ZooKeeper lock on a reused session: one EPHEMERAL_SEQUENTIAL create with the
 * lock node's children read right behind it (ZooKeeper runs a session's requests in order, so it
 * is one round trip), held when mine is the lowest; one delete to release — the fewest writes a
 * lock there needs. A try that is not the lowest deletes its node and watches the lowest (every
 * waiter wakes: no queue, no fairness, a create and a delete per failed try).
 */
export const zookeeperFloorAdapter: BenchAdapter = {
  name: 'zookeeper-floor',
  backend: 'zookeeper',
  kind: 'floor',
  summary:
    'create EPHEMERAL_SEQUENTIAL + getChildren pipelined, delete (2 writes); losers delete and watch the lowest',
  settings: { sessionTimeoutMs: 10_000 },
  requires: ['zookeeper'],
  packages: ['zookeeper'],
  scope: 'network',
  async open(env) {
    const client = await connectZooKeeper();
    let lost = false;
    client.on('close', () => {
      lost = true;
    });
    const made = new Set<string>();
    const parent = async (dir: string) => {
      if (!made.has(dir)) await ensureNode(client, dir);
      made.add(dir);
    };
    return {
      async acquire(name, p) {
        const dir = `${ROOT}/${encodeURIComponent(`${env.keyPrefix}${name}`)}`;
        await parent(dir);
        for (;;) {
          const created = zk<string>((cb) => client.a_create(`${dir}/n-`, '', ZK_EPHEMERAL_SEQUENTIAL, cb));
          const listed = zk<string[]>((cb) => client.a_get_children(dir, false, cb));
          listed.catch(() => undefined); // fails with the create, handled there
          let path: string;
          try {
            path = await created;
          } catch (error) {
            // The server swept the empty container between two acquisitions: make it again.
            if (codeOf(error) !== ZK_NONODE) throw error;
            made.delete(dir);
            await parent(dir);
            continue;
          }
          const children = (await listed).sort();
          if (`${dir}/${children[0]}` === path) {
            return heldOnce(
              () => lost,
              () => zk<undefined>((cb) => client.a_delete_(path, -1, (rc, e) => cb(rc, e, undefined))),
            );
          }
          await zk<undefined>((cb) => client.a_delete_(path, -1, (rc, e) => cb(rc, e, undefined)));
          if (!p.wait) return undefined;
          p.signal?.throwIfAborted();
          await watchGone(client, `${dir}/${children[0]}`, p.signal);
        }
      },
      async close() {
        client.close();
      },
    };
  },
};

/** Resolves when `path` changes or goes (at once when it is already gone), or on abort. */
function watchGone(client: BenchZooKeeper, path: string, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    signal?.addEventListener('abort', () => resolve(), { once: true });
    client.aw_get(
      path,
      () => resolve(),
      (rc) => {
        if (rc !== 0) resolve(); // gone (ZNONODE) or failed: try again
      },
    );
  });
}
