import { type Clock, InvalidArgumentError, type LockClient } from '@locksmith/core';
import { createLockClient, validateBoolean, validateOptionsObject } from '@locksmith/core/protocol';
import { type LeaseTimingOptions, resolveClientTiming } from '@locksmith/lease';
import type { Pool } from 'mysql2/promise';
import { MysqlLeaseProtocol } from './mysql-lease-protocol.ts';
import { DEFAULT_PREFIX, validatePrefix, validateTable } from './mysql-names.ts';
import { createTables, SchemaUse, tablesFor } from './mysql-schema.ts';
import { MysqlSessionProtocol } from './mysql-session-protocol.ts';

/** Default prefix of the package's table names: `locksmith_tokens`, `locksmith_leases`. */
export const DEFAULT_TABLE = 'locksmith';

/** How a lock is held: see {@link MysqlLocksOptions.mode}. */
export type MysqlLockMode = 'session' | 'lease';

/** Options of {@link mysqlLocks}. */
export interface MysqlLocksOptions {
  /**
   * Your mysql2 promise pool: `createPool(...)` from `mysql2/promise` (or `.promise()` of a callback
   * pool). Never ended by locksmith. Session mode takes one connection out of it per waiting
   * acquire and per held lock, and keeps them (destroyed by `close()`): give it a
   * `connectionLimit` above the number of locks held and waited for at once, plus one for
   * cancelling a wait.
   */
  readonly pool: Pool;
  /**
   * `'session'`: `GET_LOCK` on a connection kept for the lock; waiting is the server's own queue.
   * Needs a direct connection to the server (refused behind a multiplexing proxy such as ProxySQL).
   * `'lease'`: a row with an expiry judged by the server's clock; any connection will do (proxies
   * welcome), waiters retry with a backoff.
   * @defaultValue `'session'`
   */
  readonly mode?: MysqlLockMode;
  /**
   * Prefix of every lock name; `GET_LOCK` names are global to the server (every database), so
   * applications sharing a server should use different prefixes. 0–32 characters.
   * @defaultValue `'locksmith:'`
   */
  readonly prefix?: string;
  /**
   * Prefix of the table names (`<table>_tokens`, `<table>_leases`, in the pool's database).
   * @defaultValue `'locksmith'`
   */
  readonly table?: string;
  /**
   * Create the tables on first use (needs the CREATE privilege). With `false`, create them once
   * with {@link migrateMysqlLocks}; the lock client then needs only SELECT, INSERT, UPDATE, DELETE.
   * @defaultValue true
   */
  readonly migrate?: boolean;
  /**
   * Renewal and drift settings of the lease keeper (`@locksmith/lease`).
   * @defaultValue renew after 1/3 of the TTL, drift 1% of the TTL + 2 ms
   */
  readonly lease?: LeaseTimingOptions;
  /** Monotonic clock for deadlines. @defaultValue `systemClock` from `@locksmith/core` */
  readonly clock?: Clock;
}

const OPTIONS = ['pool', 'mode', 'prefix', 'table', 'migrate', 'lease', 'clock'] as const;

function validatePool(pool: unknown): Pool {
  const p = pool as Partial<Pool> | null;
  if (
    typeof p !== 'object' ||
    p === null ||
    typeof p.getConnection !== 'function' ||
    typeof p.query !== 'function'
  ) {
    throw new InvalidArgumentError(
      'options.pool',
      'must be a mysql2 promise pool (createPool from mysql2/promise)',
    );
  }
  // A callback pool (from 'mysql2') has .promise() and no .pool: its getConnection takes a callback.
  if (typeof (p as { promise?: unknown }).promise === 'function' && p.pool === undefined) {
    throw new InvalidArgumentError(
      'options.pool',
      'is a callback pool: pass pool.promise() (or createPool from mysql2/promise)',
    );
  }
  return p as Pool;
}

function validateMode(mode: unknown): MysqlLockMode {
  if (mode !== 'session' && mode !== 'lease') {
    throw new InvalidArgumentError('options.mode', `must be 'session' or 'lease' (got ${String(mode)})`);
  }
  return mode;
}

/**
 * MySQL / MariaDB locks on the locksmith contract, in one of two modes. Session mode: a lock is a
 * `GET_LOCK` held by a connection kept for it, waiters queue on the server; the TTL is how long the
 * server keeps a silent holder's connection (its `wait_timeout`). Lease mode: a lock is a row with
 * an expiry judged by the server's clock. Both give a strict fencing token, taken in the same
 * statement as the lock.
 *
 * @example
 * ```ts
 * const locks = mysqlLocks({ pool: createPool('mysql://app@db/app') });
 * await locks.withLock('invoice:42', (lease) => charge(42, { fence: lease.token }));
 * ```
 * @throws InvalidArgumentError on a bad option (before any I/O): a missing or wrong pool, a bad
 *   mode, prefix, table, clock or lease timing, an unknown option.
 */
export function mysqlLocks(options: MysqlLocksOptions): LockClient {
  if (options === undefined) throw new InvalidArgumentError('options', 'is required: pass { pool }');
  const o = validateOptionsObject<MysqlLocksOptions>('options', options, [...OPTIONS]);
  const pool = validatePool(o.pool);
  const mode = o.mode === undefined ? 'session' : validateMode(o.mode);
  const prefix = o.prefix === undefined ? DEFAULT_PREFIX : validatePrefix(o.prefix);
  const table = o.table === undefined ? DEFAULT_TABLE : validateTable(o.table);
  const migrate = o.migrate === undefined ? true : validateBoolean('options.migrate', o.migrate);
  const { clock, keeper } = resolveClientTiming(o);
  const schema = new SchemaUse(pool, tablesFor(table), migrate);
  const settings = { prefix, clock, schema };
  return mode === 'session'
    ? createLockClient(new MysqlSessionProtocol(pool, settings), { keeper, clock })
    : createLockClient(new MysqlLeaseProtocol(pool, settings), { keeper, clock });
}

/**
 * Creates the package's tables if missing (`CREATE TABLE IF NOT EXISTS`; needs CREATE on the
 * pool's database). Run it once at deployment to use `mysqlLocks({ migrate: false })` with a user
 * that has only SELECT, INSERT, UPDATE, DELETE.
 */
export async function migrateMysqlLocks(pool: Pool, options?: { readonly table?: string }): Promise<void> {
  const p = validatePool(pool);
  const o = validateOptionsObject<{ table?: string }>('options', options ?? {}, ['table']);
  await createTables(p, tablesFor(o.table === undefined ? DEFAULT_TABLE : validateTable(o.table)));
}
