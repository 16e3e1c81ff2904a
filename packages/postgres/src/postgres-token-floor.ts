// Why a crash cannot hand out a token twice. A `nextval` writes a WAL record once per 32 values
// and hands out the next ones from memory; its transaction flushes the WAL at commit only when it
// wrote WAL itself. So a draw covered by a record that another transaction wrote and had not yet
// flushed (it was still committing, or it rolled back, or commits are asynchronous) reaches the
// client while nothing on disk says so: a kill -9 then brings the sequence back below it
// (server-restart.test.ts). Every connection lifts the sequence to the server's clock before it
// draws a token, and every connection that draws after a restart was opened after it.
import type { PoolClient } from 'pg';
import { advisoryKey, type SchemaNames } from './postgres-keys.ts';

/** The token floor of one sequence: what lifts it, and the connections already lifted. */
export interface TokenFloor {
  readonly sequence: string;
  /** One statement; returns the backend pid it ran on (`pid`). */
  readonly sql: string;
}

/** Connections (pg clients) already lifted, per sequence: a connection is lifted once. */
const lifted = new WeakMap<object, Set<string>>();

/**
 * The statement that lifts the sequence to the server's clock in µs, unless it is already past it
 * (`setval` would move it back; a clock behind the sequence leaves it alone). Lifts take turns on
 * a transaction-level advisory lock (two-`int4` form: a key space apart from the `bigint` keys of
 * the locks), so two at once never set it below what the other's connection has drawn. The one
 * `nextval` is drawn after that lock; between it and `setval` a concurrent draw could only meet
 * the clock's value if tokens came at one per µs, far more than a server grants.
 */
export function tokenFloor(prefix: string, names: SchemaNames): TokenFloor {
  const key = advisoryKey(prefix, 'token floor');
  const [high, low] = [BigInt.asIntN(32, key >> 32n), BigInt.asIntN(32, key)];
  const { sequence } = names;
  const sql = `SELECT CASE WHEN drawn.v < drawn.now THEN setval('${sequence}', drawn.now) END AS lifted,
  pg_backend_pid() AS pid
FROM (
  SELECT nextval('${sequence}') AS v, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS now
  FROM (SELECT pg_advisory_xact_lock(${high}, ${low}) OFFSET 0) AS serial
  OFFSET 0
) AS drawn`;
  return { sequence, sql };
}

/** Whether `client` was lifted for this floor's sequence. */
export function isLifted(client: object, floor: TokenFloor): boolean {
  return lifted.get(client)?.has(floor.sequence) === true;
}

/** Lifts the sequence on `client` (one round trip) and returns the backend pid it ran on. */
export async function lift(client: PoolClient, floor: TokenFloor): Promise<number> {
  const { rows } = await client.query<{ pid: number }>(floor.sql);
  const set = lifted.get(client) ?? new Set<string>();
  set.add(floor.sequence);
  lifted.set(client, set);
  return rows[0]?.pid ?? 0;
}
