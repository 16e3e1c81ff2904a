import type { LockClient } from '@locksmith/core';
import type { Etcd3 } from 'etcd3';
import type { BenchAdapter } from './adapter.ts';
import { connectEtcd } from './etcd-connect.ts';
import { lockClientLocker } from './lock-client-locker.ts';

/** `@locksmith/etcd` on the 3-member cluster, one etcd3 client per worker. */
export const etcdAdapter: BenchAdapter = {
  name: 'etcd',
  backend: 'etcd',
  kind: 'locksmith',
  floor: 'etcd-floor',
  summary:
    '@locksmith/etcd: one txn to enqueue, one delete to release, session lease per client, predecessor watch',
  settings: {},
  requires: ['etcd'],
  packages: ['@locksmith/etcd', 'etcd3'],
  scope: 'network',
  elects: true,
  async open(env) {
    // A variable specifier: the bench type-checks whether or not @locksmith/etcd is built.
    const specifier = '@locksmith/etcd';
    const { etcdLocks } = (await import(specifier)) as {
      etcdLocks(options: { client: Etcd3; prefix?: string }): LockClient;
    };
    const client = await connectEtcd();
    const locker = lockClientLocker(etcdLocks({ client, prefix: 'locksmith-bench' }), async () =>
      client.close(),
    );
    return {
      acquire: (key, p) => locker.acquire(`${env.keyPrefix}${key}`, p),
      elect: (name, p) => locker.elect!(`${env.keyPrefix}${name}`, p),
      close: () => locker.close(),
    };
  },
};
