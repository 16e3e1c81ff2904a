// The fault suite's etcd client: the cluster at LOCKSMITH_ETCD_ENDPOINTS, one Etcd3 per worker.
import type { LockClient } from '@locksmith/core';
import { etcdLocks } from '@locksmith/etcd';
import { Etcd3 } from 'etcd3';
import { list } from './env.ts';

export function createClient(env: NodeJS.ProcessEnv): LockClient {
  const client = new Etcd3({ hosts: list(env, 'LOCKSMITH_ETCD_ENDPOINTS'), dialTimeout: 2_000 });
  const locks = etcdLocks({ client, prefix: 'locksmith-faults' });
  const close = locks.close.bind(locks);
  return Object.assign(locks, {
    close: async () => {
      await close();
      client.close();
    },
  });
}
