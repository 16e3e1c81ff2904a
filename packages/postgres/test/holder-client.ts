// Client module for the testkit's child processes (kill -9 holder, cross-process safety). The
// parent passes the server URL, key prefix and mode through the environment.
import type { LockClient } from '@locksmith/core';
import pg from 'pg';
import { postgresLocks } from '../src/index.ts';

export function createPostgres(env: NodeJS.ProcessEnv): LockClient {
  const prefix = env.LOCKSMITH_TEST_PREFIX;
  if (!prefix) throw new Error('LOCKSMITH_TEST_PREFIX is not set');
  const mode = env.LOCKSMITH_POSTGRES_MODE === 'lease' ? 'lease' : 'session';
  const pool = new pg.Pool({ connectionString: env.LOCKSMITH_POSTGRES_URL, max: 5 });
  const locks = postgresLocks({ pool, prefix, mode });
  const close = locks.close.bind(locks);
  // The child owns its pool: end it with the client.
  return Object.assign(locks, {
    close: async () => {
      await close();
      await pool.end();
    },
  });
}
