// The PostgreSQL kill hooks. Session mode: terminate the server session that holds the advisory
// lock (found in pg_locks by the key's hash), as a crashed connection would; every lock of that
// connection goes with it. Lease mode: delete the lock's row, as an expiry plus a new holder's
// sweep would.
import type { Lease } from '@locksmith/core';
import type pg from 'pg';
import { advisoryKey } from '../src/index.ts';

/** The backend pid holding the advisory lock of `key`, or undefined. */
export async function holderPid(pool: pg.Pool, prefix: string, key: string): Promise<number | undefined> {
  const k = advisoryKey(prefix, key);
  // pg_locks shows a bigint advisory key as classid (high 32 bits) and objid (low 32 bits), objsubid 1.
  const high = Number((BigInt.asUintN(64, k) >> 32n) & 0xffffffffn);
  const low = Number(BigInt.asUintN(64, k) & 0xffffffffn);
  const { rows } = await pool.query<{ pid: number }>(
    `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
       AND classid = $1::bigint::oid AND objid = $2::bigint::oid AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [high, low],
  );
  return rows[0]?.pid;
}

/** Terminates the holder's server session and waits (up to 5 s) until it is gone. */
export async function terminateHolder(pool: pg.Pool, prefix: string, lease: Lease): Promise<void> {
  const pid = await holderPid(pool, prefix, lease.key);
  if (pid === undefined) throw new Error(`no session holds the advisory lock of "${lease.key}"`);
  const { rows } = await pool.query<{ ok: boolean }>('SELECT pg_terminate_backend($1, 5000) AS ok', [pid]);
  if (rows[0]?.ok !== true) throw new Error(`pg_terminate_backend(${pid}) did not end the session in 5 s`);
}

/** Deletes the lease row of `lease` (lease mode). */
export async function deleteLeaseRow(pool: pg.Pool, prefix: string, lease: Lease): Promise<void> {
  const { rowCount } = await pool.query(`DELETE FROM ${prefix}_lease WHERE key = $1 AND token = $2`, [
    lease.key,
    lease.token.toString(),
  ]);
  if (rowCount !== 1) throw new Error(`no lease row of "${lease.key}" with token ${lease.token}`);
}
