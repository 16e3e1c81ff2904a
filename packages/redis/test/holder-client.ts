// Client modules for the testkit's child processes (kill -9 holder, cross-process safety).
// The parent passes the servers and key prefix through the environment.
import type { LockClient } from '@locksmith/core';
import { Redis } from 'ioredis';
import { redisLocks } from '../src/index.ts';

function prefix(env: NodeJS.ProcessEnv): string {
  const p = env.LOCKSMITH_TEST_PREFIX;
  if (!p) throw new Error('LOCKSMITH_TEST_PREFIX is not set');
  return p;
}

function client(url: string): Redis {
  const c = new Redis(url, { maxRetriesPerRequest: 2 });
  c.on('error', () => undefined);
  return c;
}

/** Single instance at LOCKSMITH_REDIS_URL. */
export function createSingle(env: NodeJS.ProcessEnv): LockClient {
  return redisLocks({ client: client(env.LOCKSMITH_REDIS_URL ?? ''), prefix: prefix(env) });
}

/** Redlock over LOCKSMITH_REDLOCK_URLS. */
export function createRedlock(env: NodeJS.ProcessEnv): LockClient {
  const urls = (env.LOCKSMITH_REDLOCK_URLS ?? '').split(',');
  return redisLocks({ clients: urls.map(client), prefix: prefix(env) });
}
