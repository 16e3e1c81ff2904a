// The MySQL kill hooks. Session mode: KILL the server connection that holds the lock (found by
// IS_USED_LOCK), as an operator or a failover would. Lease mode: end the lease row's expiry now.
import type { Lease } from '@locksmith/core';
import { eventually } from '@locksmith/test-utils';
import type { Pool } from 'mysql2/promise';
import { mysqlLockName } from '../src/index.ts';

export async function killHolderConnection(pool: Pool, prefix: string, lease: Lease): Promise<number> {
  const name = mysqlLockName(prefix, lease.key);
  const [rows] = await pool.query('SELECT IS_USED_LOCK(?) AS id', [name]);
  const id = (rows as { id: number | null }[])[0]?.id;
  if (id === null || id === undefined) throw new Error(`no connection holds "${name}"`);
  await pool.query(`KILL CONNECTION ${Number(id)}`);
  // KILL returns once the flag is set; the killed thread frees its locks when it notices (a moment
  // later on a loaded server). The hook's contract is "the backend forgot the lease": wait for it.
  await eventually(
    async () => {
      const [after] = await pool.query('SELECT IS_USED_LOCK(?) AS id', [name]);
      return (after as { id: number | null }[])[0]?.id !== id;
    },
    10_000,
    `connection ${id} letting go of "${name}" after KILL`,
  );
  return Number(id);
}

export async function expireLeaseRow(
  pool: Pool,
  prefix: string,
  lease: Lease,
  table = 'locksmith',
): Promise<void> {
  const name = mysqlLockName(prefix, lease.key);
  const [result] = await pool.query(
    `UPDATE \`${table}_leases\` SET expires_us = 0 WHERE name = ? AND token = ?`,
    [name, String(lease.token)],
  );
  if ((result as { affectedRows: number }).affectedRows !== 1)
    throw new Error(`no lease row of "${name}" with token ${lease.token}`);
}
