// The fault suite's PostgreSQL clients at LOCKSMITH_POSTGRES_URL: session mode (advisory locks)
// and lease mode (lease rows), each worker with a pool of its own.
import type { LockClient } from '@locksmith/core';
import { type PostgresLockMode, postgresLocks } from '@locksmith/postgres';
import pg from 'pg';
import { required } from './env.ts';

function create(env: NodeJS.ProcessEnv, mode: PostgresLockMode): LockClient {
  const pool = new pg.Pool({ connectionString: required(env, 'LOCKSMITH_POSTGRES_URL'), max: 5 });
  pool.on('error', () => undefined); // an idle connection the server or the network ended
  const locks = postgresLocks({ pool, mode, prefix: 'locksmith_faults' });
  const close = locks.close.bind(locks);
  return Object.assign(locks, {
    close: async () => {
      await close();
      await pool.end();
    },
  });
}

export const createClient = (env: NodeJS.ProcessEnv) => create(env, 'session');
export const createLease = (env: NodeJS.ProcessEnv) => create(env, 'lease');
