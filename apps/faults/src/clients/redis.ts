// The fault suite's Redis clients: single instance (LOCKSMITH_REDIS_URL) and Redlock
// (LOCKSMITH_REDLOCK_URLS), each worker with connections of its own. Commands fail after two
// retries instead of queueing while a server is away (as the package's own tests configure them).
import type { LockClient } from '@locksmith/core';
import { redisLocks } from '@locksmith/redis';
import { Redis } from 'ioredis';
import { list, required } from './env.ts';

function connect(url: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 2 });
  client.on('error', () => undefined);
  return client;
}

/** Ends the connections the client module opened once the lock client is closed. */
function owning(locks: LockClient, clients: readonly Redis[]): LockClient {
  const close = locks.close.bind(locks);
  return Object.assign(locks, {
    close: async () => {
      await close();
      for (const c of clients) c.disconnect();
    },
  });
}

export function createClient(env: NodeJS.ProcessEnv): LockClient {
  const client = connect(required(env, 'LOCKSMITH_REDIS_URL'));
  return owning(redisLocks({ client, prefix: 'locksmith-faults' }), [client]);
}

export function createRedlock(env: NodeJS.ProcessEnv): LockClient {
  const clients = list(env, 'LOCKSMITH_REDLOCK_URLS').map(connect);
  return owning(redisLocks({ clients, prefix: 'locksmith-faults' }), clients);
}
