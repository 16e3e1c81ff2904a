import type { LockClient } from '@locksmith/core';
import type { BenchAdapter } from './adapter.ts';
import { lockClientLocker } from './lock-client-locker.ts';
import { type BenchZooKeeper, connectZooKeeper } from './zookeeper-connect.ts';

/** `@locksmith/zookeeper` on the 3-node ensemble, one session per worker. */
export const zookeeperAdapter: BenchAdapter = {
  name: 'zookeeper',
  backend: 'zookeeper',
  kind: 'locksmith',
  floor: 'zookeeper-floor',
  summary:
    '@locksmith/zookeeper: ephemeral sequential node + queue read in one round trip, delete to release, predecessor watch, czxid token',
  settings: { sessionTimeoutMs: 10_000 },
  requires: ['zookeeper'],
  packages: ['@locksmith/zookeeper', 'zookeeper'],
  scope: 'network',
  elects: true,
  async open(env) {
    // A variable specifier: the bench type-checks whether or not @locksmith/zookeeper is built.
    const specifier = '@locksmith/zookeeper';
    const { zookeeperLocks } = (await import(specifier)) as {
      zookeeperLocks(options: { client: BenchZooKeeper; prefix?: string }): LockClient;
    };
    const client = await connectZooKeeper();
    const locker = lockClientLocker(zookeeperLocks({ client, prefix: '/locksmith-bench' }), async () =>
      client.close(),
    );
    return {
      acquire: (key, p) => locker.acquire(`${env.keyPrefix}${key}`, p),
      elect: (name, p) => locker.elect!(`${env.keyPrefix}${name}`, p),
      close: () => locker.close(),
    };
  },
};
