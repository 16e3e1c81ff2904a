// Client module for the testkit's child processes (kill -9 holder, cross-process safety). The
// parent passes the endpoints and key prefix through the environment.
import type { LockClient } from '@locksmith/core';
import { Etcd3 } from 'etcd3';
import { etcdLocks } from '../src/index.ts';

export function createEtcd(env: NodeJS.ProcessEnv): LockClient {
  const prefix = env.LOCKSMITH_TEST_PREFIX;
  if (!prefix) throw new Error('LOCKSMITH_TEST_PREFIX is not set');
  const hosts = (env.LOCKSMITH_ETCD_ENDPOINTS ?? '').split(',');
  return etcdLocks({ client: new Etcd3({ hosts }), prefix });
}
