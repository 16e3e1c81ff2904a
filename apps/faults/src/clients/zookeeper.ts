// The fault suite's ZooKeeper client: a session with the ensemble at LOCKSMITH_ZOOKEEPER_HOSTS,
// timing out after LOCKSMITH_FAULTS_SESSION_MS (the run's TTL: a dead holder's node goes then).
import { createRequire } from 'node:module';
import type { LockClient } from '@locksmith/core';
import { type ZooKeeperClient, zookeeperLocks } from '@locksmith/zookeeper';
import { required } from './env.ts';

interface Client extends ZooKeeperClient {
  init(config: object): void;
  close(): void;
}

type ZooKeeperClass = new (config: {
  connect: string;
  timeout: number;
  response_counter_limit: number;
}) => Client;

export function createClient(env: NodeJS.ProcessEnv): LockClient {
  const ZooKeeper = createRequire(import.meta.url)('zookeeper') as ZooKeeperClass;
  const client = new ZooKeeper({
    connect: required(env, 'LOCKSMITH_ZOOKEEPER_HOSTS'),
    timeout: Number(env.LOCKSMITH_FAULTS_SESSION_MS ?? 4_000),
    // node-zookeeper closes its own session after 10 empty reads in a row unless this is raised.
    response_counter_limit: 1_000_000_000,
  });
  client.init({});
  const locks = zookeeperLocks({ client, prefix: '/locksmith-faults' });
  const close = locks.close.bind(locks);
  return Object.assign(locks, {
    close: async () => {
      await close();
      client.close();
    },
  });
}
