import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { BenchAdapter } from './adapter.ts';
import { heldOnce } from './held-once.ts';
import { connectPostgres } from './postgres-connect.ts';

/** A string key as a signed 64-bit advisory key (the same hash as @locksmith/postgres). */
function advisoryKey(key: string): string {
  return createHash('sha256').update(`floor:${key}`).digest().readBigInt64BE(0).toString();
}

/**
 * The floor of a PostgreSQL advisory lock, written directly with pg: `pg_try_advisory_lock` on one
 * connection kept per worker (it holds any number of locks), `pg_advisory_unlock` to release — two
 * round trips. A waiter that finds the lock taken blocks in `pg_advisory_lock` on a pooled
 * connection of its own (the server's FIFO queue hands it over; a cancelled wait's connection is
 * destroyed). No fencing token, no lease: a killed holder's lock is freed only with its connection.
 */
export const postgresFloorAdapter: BenchAdapter = {
  name: 'postgres-floor',
  backend: 'postgres',
  kind: 'floor',
  summary:
    'pg_try_advisory_lock on a kept connection + pg_advisory_unlock (2 round trips); a busy lock: blocking pg_advisory_lock on a pooled connection (server FIFO)',
  settings: {},
  requires: ['postgres'],
  packages: ['pg'],
  scope: 'network',
  async open(env) {
    const pool = await connectPostgres(20);
    const main = await pool.connect();
    main.on('error', () => undefined);
    // Advisory locks are re-entrant per session: a key this worker holds or tries on `main` goes to a waiter connection.
    const onMain = new Set<string>();
    const unlock = (client: PoolClient, key: string) =>
      client.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
    return {
      async acquire(name, p) {
        const key = advisoryKey(`${env.keyPrefix}${name}`);
        if (!onMain.has(key)) {
          onMain.add(key);
          const { rows } = await main.query<{ ok: boolean }>(
            'SELECT pg_try_advisory_lock($1::bigint) AS ok',
            [key],
          );
          if (rows[0]?.ok === true) {
            return heldOnce(
              () => false,
              () => unlock(main, key).finally(() => onMain.delete(key)),
            );
          }
          onMain.delete(key);
        }
        if (!p.wait) return undefined;
        p.signal?.throwIfAborted();
        const client = await pool.connect();
        client.on('error', () => undefined);
        const pid = (client as unknown as { processID: number }).processID;
        const onAbort = () => void pool.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
        p.signal?.addEventListener('abort', onAbort, { once: true });
        try {
          await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
        } catch (error) {
          client.release(true); // a cancelled wait's connection is not reused
          throw error;
        } finally {
          p.signal?.removeEventListener('abort', onAbort);
        }
        return heldOnce(
          () => false,
          () => unlock(client, key).finally(() => client.release()),
        );
      },
      async close() {
        main.release(true);
        await pool.end();
      },
    };
  },
};
