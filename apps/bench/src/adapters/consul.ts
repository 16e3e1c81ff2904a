import type { LockClient } from '@locksmith/core';
import type Consul from 'consul';
import type { BenchAdapter } from './adapter.ts';
import { connectConsul } from './consul-connect.ts';
import { lockClientLocker } from './lock-client-locker.ts';

/** `@locksmith/consul` on the 3-server cluster, one consul client per worker. */
export const consulAdapter: BenchAdapter = {
  name: 'consul',
  backend: 'consul',
  kind: 'locksmith',
  floor: 'consul-floor',
  summary:
    '@locksmith/consul: one txn to lock (+ token), one txn to delete, session per client and TTL, blocking query on the key',
  settings: {},
  requires: ['consul'],
  packages: ['@locksmith/consul', 'consul'],
  scope: 'network',
  elects: true,
  async open(env) {
    // A variable specifier: the bench type-checks whether or not @locksmith/consul is built.
    const specifier = '@locksmith/consul';
    const { consulLocks } = (await import(specifier)) as {
      consulLocks(options: { client: Consul; prefix?: string }): LockClient;
    };
    const client = await connectConsul();
    const locker = lockClientLocker(consulLocks({ client, prefix: 'locksmith-bench' }), async () =>
      client.destroy(),
    );
    return {
      acquire: (key, p) => locker.acquire(`${env.keyPrefix}${key}`, p),
      elect: (name, p) => locker.elect!(`${env.keyPrefix}${name}`, p),
      close: () => locker.close(),
    };
  },
};
