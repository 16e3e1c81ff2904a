// The fault suite's ZooKeeper client: a session with the ensemble at LOCKSMITH_ZOOKEEPER_HOSTS,
// timing out after LOCKSMITH_FAULTS_SESSION_MS (the run's TTL: a dead holder's node goes then).
// The `zookeeper` package closes its handle when the session expires (a network cut longer than
// the session timeout); as @locksmith/zookeeper's README tells applications to, the next acquire
// then makes a new ZooKeeper client and a new lock client.
import { createRequire } from 'node:module';
import type { LockClient, LockClientEvents } from '@locksmith/core';
import { type ZooKeeperClient, zookeeperLocks } from '@locksmith/zookeeper';
import { required } from './env.ts';

interface Client extends ZooKeeperClient {
  init(config: object): void;
  close(): void;
  once(event: 'close', listener: () => void): unknown;
}

type ZooKeeperClass = new (config: {
  connect: string;
  timeout: number;
  response_counter_limit: number;
}) => Client;

type ErrorListener = LockClientEvents['error'];

/** The ZooKeeper client's state after its session expired. */
const EXPIRED_SESSION_STATE = -112;

function open(env: NodeJS.ProcessEnv) {
  const ZooKeeper = createRequire(import.meta.url)('zookeeper') as ZooKeeperClass;
  const client = new ZooKeeper({
    connect: required(env, 'LOCKSMITH_ZOOKEEPER_HOSTS'),
    timeout: Number(env.LOCKSMITH_FAULTS_SESSION_MS ?? 4_000),
    // node-zookeeper closes its own session after 10 empty reads in a row unless this is raised.
    response_counter_limit: 1_000_000_000,
  });
  const state = { closed: false };
  client.once('close', () => {
    state.closed = true;
  });
  client.init({});
  const locks = zookeeperLocks({ client, prefix: '/locksmith-faults' });
  return {
    locks,
    get ended() {
      return state.closed || client.state === EXPIRED_SESSION_STATE;
    },
    async close() {
      await locks.close();
      client.close();
    },
  };
}

export function createClient(env: NodeJS.ProcessEnv): LockClient {
  let current = open(env);
  const listeners = new Set<ErrorListener>();
  const live = () => {
    if (current.ended) {
      const old = current;
      current = open(env);
      for (const listener of listeners) current.locks.on('error', listener);
      void old.close().catch(() => undefined);
    }
    return current.locks;
  };
  const self: LockClient = {
    backend: current.locks.backend,
    capabilities: current.locks.capabilities,
    acquire: (key, options) => live().acquire(key, options),
    tryAcquire: (key, options) => live().tryAcquire(key, options),
    withLock: (key, fn, options) => live().withLock(key, fn, options),
    on(_event, listener) {
      listeners.add(listener);
      current.locks.on('error', listener);
      return self;
    },
    off(_event, listener) {
      listeners.delete(listener);
      current.locks.off('error', listener);
      return self;
    },
    close: () => current.close(),
  };
  return self;
}
