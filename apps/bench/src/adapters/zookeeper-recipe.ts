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

const ROOT = '/locksmith-bench-recipe';

/**
 * The lock recipe of ZooKeeper's documentation ("Recipes and Solutions: Locks"), written plainly,
 * as a user would copy it: 1. create `_locknode_/guid-lock-` EPHEMERAL_SEQUENTIAL; 2. getChildren
 * without a watch; 3. lowest → held; 4. else exists() with a watch on the next lower node; 5. if
 * that returns null go to 2, else wait for the event and go to 2. Release deletes the node. The
 * lock node is made once (a container node, so bench runs do not pile up). No token, no protected
 * create.
 */
export const zookeeperRecipeAdapter: BenchAdapter = {
  name: 'zookeeper-recipe',
  backend: 'zookeeper',
  kind: 'peer',
  floor: 'zookeeper-floor',
  summary:
    "ZooKeeper's documented lock recipe, plainly: create, getChildren, exists-watch the next lower node",
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
    return {
      async acquire(name, p) {
        const dir = `${ROOT}/${encodeURIComponent(`${env.keyPrefix}${name}`)}`;
        if (!made.has(dir)) await ensureNode(client, dir);
        made.add(dir);
        const create = () =>
          zk<string>((cb) =>
            client.a_create(`${dir}/${crypto.randomUUID()}-lock-`, '', ZK_EPHEMERAL_SEQUENTIAL, cb),
          );
        const path = await create().catch(async (error: unknown) => {
          // The server swept the empty (container) lock node between two acquisitions.
          if (codeOf(error) !== ZK_NONODE) throw error;
          await ensureNode(client, dir);
          return create();
        });
        const mine = path.slice(dir.length + 1);
        const release = () =>
          zk<undefined>((cb) => client.a_delete_(path, -1, (rc, e) => cb(rc, e, undefined)));
        try {
          for (;;) {
            const children = await zk<string[]>((cb) => client.a_get_children(dir, false, cb));
            const sorted = children.sort((a, b) => seq(a) - seq(b));
            const index = sorted.indexOf(mine);
            if (index === 0) return heldOnce(() => lost, release);
            if (!p.wait) {
              await release();
              return undefined;
            }
            p.signal?.throwIfAborted();
            await waitForDelete(client, `${dir}/${sorted[index - 1]}`, p.signal);
          }
        } catch (error) {
          await release().catch(() => undefined);
          throw error;
        }
      },
      async close() {
        client.close();
      },
    };
  },
};

function seq(name: string): number {
  return Number(name.slice(-10));
}

/** exists() with a watch: resolves at once when the node is gone, else on its event (or abort). */
function waitForDelete(client: BenchZooKeeper, path: string, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    client.aw_exists(
      path,
      () => resolve(),
      (rc, error, stat) => {
        if (rc !== 0 && rc !== -101) reject(new Error(`exists ${path}: ${error}`));
        else if (stat === null || stat === undefined || rc === -101) resolve();
      },
    );
  });
}
