// Client module for the testkit's child processes (kill -9 holder, cross-process safety). The
// parent passes the server URL, mode and lock-name prefix through the environment.
import type { LockClient } from '@locksmith/core';
import { createPool } from 'mysql2/promise';
import { mysqlLocks } from '../src/index.ts';

export function createMysql(env: NodeJS.ProcessEnv): LockClient {
  const prefix = env.LOCKSMITH_TEST_PREFIX;
  const uri = env.LOCKSMITH_MYSQL_URL;
  if (!prefix || !uri) throw new Error('LOCKSMITH_TEST_PREFIX and LOCKSMITH_MYSQL_URL must be set');
  const mode = env.LOCKSMITH_MYSQL_MODE === 'lease' ? 'lease' : 'session';
  const pool = createPool({ uri, connectionLimit: 8 });
  const locks = mysqlLocks({ pool, mode, prefix });
  const close = locks.close.bind(locks);
  // The child owns its pool: end it with the client.
  return Object.assign(locks, {
    close: async () => {
      await close();
      await pool.end();
    },
  });
}
