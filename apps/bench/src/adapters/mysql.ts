import type { LockClient } from '@locksmith/core';
import type { Pool } from 'mysql2/promise';
import type { BenchAdapter } from './adapter.ts';
import { lockClientLocker } from './lock-client-locker.ts';
import { connectMysql } from './mysql-connect.ts';

/** Connections per worker's pool: its held lock and waits, plus one to cancel a wait. */
const POOL_SIZE = 4;

function mysqlAdapter(mode: 'session' | 'lease'): BenchAdapter {
  return {
    name: mode === 'session' ? 'mysql' : 'mysql-lease',
    backend: 'mysql',
    kind: 'locksmith',
    floor: 'mysql-floor',
    summary:
      mode === 'session'
        ? '@locksmith/mysql session mode: GET_LOCK + token bump in one statement on a kept connection, RELEASE_LOCK; waiters queue on the server'
        : '@locksmith/mysql lease mode: one upsert takes the row by the server clock, one update releases; waiters back off (2–64 ms)',
    settings: { mode },
    requires: ['mysql'],
    packages: ['@locksmith/mysql', 'mysql2'],
    scope: 'network',
    async open(env) {
      // A variable specifier: the bench type-checks whether or not @locksmith/mysql is built.
      const specifier = '@locksmith/mysql';
      const { mysqlLocks } = (await import(specifier)) as {
        mysqlLocks(options: { pool: Pool; mode: 'session' | 'lease'; prefix: string }): LockClient;
      };
      const pool = await connectMysql(POOL_SIZE);
      const locker = lockClientLocker(mysqlLocks({ pool, mode, prefix: 'bench:' }), () => pool.end());
      return {
        acquire: (key, p) => locker.acquire(`${env.keyPrefix}${key}`, p),
        close: () => locker.close(),
      };
    },
  };
}

/** `@locksmith/mysql` in session mode (GET_LOCK), one pool per worker. */
export const mysqlSessionAdapter: BenchAdapter = mysqlAdapter('session');
/** `@locksmith/mysql` in lease mode (a row per key), one pool per worker. */
export const mysqlLeaseAdapter: BenchAdapter = mysqlAdapter('lease');
