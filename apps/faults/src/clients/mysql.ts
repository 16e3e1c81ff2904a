// The fault suite's MySQL/MariaDB clients at LOCKSMITH_MYSQL_URL: session mode (GET_LOCK) and lease
// mode (lease rows), each worker with a pool of its own.
import type { LockClient } from '@locksmith/core';
import { type MysqlLockMode, mysqlLocks } from '@locksmith/mysql';
import { createPool } from 'mysql2/promise';
import { required } from './env.ts';

function create(env: NodeJS.ProcessEnv, mode: MysqlLockMode): LockClient {
  const pool = createPool({ uri: required(env, 'LOCKSMITH_MYSQL_URL'), connectionLimit: 8 });
  const locks = mysqlLocks({ pool, mode, prefix: 'faults:', table: 'locksmith_faults' });
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
