// The fault suite's Consul client: the first server of LOCKSMITH_CONSUL_ADDRS (as an application
// talks to its local agent).

import { consulLocks } from '@locksmith/consul';
import type { LockClient } from '@locksmith/core';
import Consul from 'consul';
import { list } from './env.ts';

export function createClient(env: NodeJS.ProcessEnv): LockClient {
  const url = new URL(list(env, 'LOCKSMITH_CONSUL_ADDRS')[0] ?? '');
  const client = new Consul({ host: url.hostname, port: Number(url.port) });
  const locks = consulLocks({ client, prefix: 'locksmith-faults' });
  const close = locks.close.bind(locks);
  return Object.assign(locks, {
    close: async () => {
      await close();
      client.destroy();
    },
  });
}
