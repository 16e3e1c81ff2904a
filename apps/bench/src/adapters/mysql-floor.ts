import type { BenchAdapter } from './adapter.ts';
import { heldOnce } from './held-once.ts';
import { connectMysql } from './mysql-connect.ts';

/** A blocking wait is GET_LOCK of this many seconds, repeated until held or the run stops. */
const WAIT_CHUNK_S = 1;

/**
 * The floor of a MySQL lock: `GET_LOCK(name, 0)` to try, a blocking `GET_LOCK(name, 1)` (the
 * server's queue) to wait, `RELEASE_LOCK(name)` to release, each on a pool connection kept for the
 * hold. No token, no lease: a lock of a killed holder is freed only when its connection closes.
 */
export const mysqlFloorAdapter: BenchAdapter = {
  name: 'mysql-floor',
  backend: 'mysql',
  kind: 'floor',
  summary: 'GET_LOCK(name, 0) + RELEASE_LOCK (2 round trips); waiters block in GET_LOCK on the server queue',
  settings: { waitChunkS: WAIT_CHUNK_S },
  requires: ['mysql'],
  packages: ['mysql2'],
  scope: 'network',
  noLease: true,
  async open(env) {
    const pool = await connectMysql(4);
    return {
      async acquire(key, p) {
        const name = `${env.keyPrefix}floor:${key}`.slice(-64);
        const conn = await pool.getConnection();
        try {
          for (;;) {
            const [rows] = await conn.query('SELECT GET_LOCK(?, ?) AS got', [
              name,
              p.wait ? WAIT_CHUNK_S : 0,
            ]);
            if ((rows as { got: number | null }[])[0]?.got === 1) break;
            if (!p.wait || p.signal?.aborted) {
              conn.release();
              return undefined;
            }
          }
        } catch (error) {
          conn.destroy();
          throw error;
        }
        return heldOnce(
          () => false,
          async () => {
            try {
              await conn.query('DO RELEASE_LOCK(?)', [name]);
              conn.release();
            } catch {
              conn.destroy();
            }
          },
        );
      },
      close: () => pool.end(),
    };
  },
};
