import type { LockClient } from '@locksmith/core';
import type { Pool } from 'pg';
import type { BenchAdapter, Locker } from './adapter.ts';
import { lockClientLocker } from './lock-client-locker.ts';
import { connectPostgres } from './postgres-connect.ts';

type PostgresLocks = (options: { pool: Pool; prefix?: string; mode?: 'session' | 'lease' }) => LockClient;

/**
 * Opens `@locksmith/postgres` in `mode` on a pool of its own (one per worker). The sequence and
 * table `locksmith_bench_token` / `locksmith_bench_lease` are created on the first run and reused.
 */
async function openMode(mode: 'session' | 'lease', keyPrefix: string): Promise<Locker> {
  // A variable specifier: the bench type-checks whether or not @locksmith/postgres is built.
  const specifier = '@locksmith/postgres';
  const { postgresLocks } = (await import(specifier)) as { postgresLocks: PostgresLocks };
  const pool = await connectPostgres();
  const locker = lockClientLocker(postgresLocks({ pool, prefix: 'locksmith_bench', mode }), () => pool.end());
  return { acquire: (key, p) => locker.acquire(`${keyPrefix}${key}`, p), close: () => locker.close() };
}

/** `@locksmith/postgres` in session mode: advisory locks, waiters queued by the server. */
export const postgresAdapter: BenchAdapter = {
  name: 'postgres',
  backend: 'postgres',
  kind: 'locksmith',
  floor: 'postgres-floor',
  summary:
    '@locksmith/postgres session mode: try-lock on a kept connection, else a blocking pg_advisory_lock (server FIFO queue); token by nextval in the same statement',
  settings: { mode: 'session' },
  requires: ['postgres'],
  packages: ['@locksmith/postgres', 'pg'],
  scope: 'network',
  open: (env) => openMode('session', env.keyPrefix),
};

/** `@locksmith/postgres` in lease mode: a row per key judged by now(), NOTIFY on release. */
export const postgresLeaseAdapter: BenchAdapter = {
  name: 'postgres-lease',
  backend: 'postgres',
  kind: 'locksmith',
  floor: 'postgres-floor',
  summary:
    '@locksmith/postgres lease mode: one upsert per acquire (row with expiry by now(), token by nextval), delete + NOTIFY to release; waiters LISTEN',
  settings: { mode: 'lease' },
  requires: ['postgres'],
  packages: ['@locksmith/postgres', 'pg'],
  scope: 'network',
  open: (env) => openMode('lease', env.keyPrefix),
};
