// Lease mode on the real server: an acquire whose reply is lost (the statement ran, the client
// never heard) leaves no row behind; long-expired rows of dead holders are swept; a release wakes
// every waiter of the key by NOTIFY, and nothing else.
import { sleep } from '@locksmith/core/protocol';
import type pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresLocks } from '../src/index.ts';
import { connect, dropSchema, REQUIRED, skipFor, testPrefix } from './servers.ts';

const prefix = testPrefix('lfault');
const skip = await skipFor();
const pool = connect(20);
const admin = connect(2);
afterAll(async () => {
  if (!skip) await dropSchema(admin, prefix);
  await Promise.all([pool.end(), admin.end()]);
});

async function rowsOf(key: string): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${prefix}_lease WHERE key = $1`,
    [key],
  );
  return rows[0]?.n ?? -1;
}

/**
 * The real pool, except that the reply of the next acquire statement is dropped after it ran (on
 * the connection lease mode checks out for it; the client is restored when it goes back).
 */
function lossyPool(): { pool: pg.Pool; dropNext: () => void } {
  let drop = false;
  const lossy = Object.create(pool) as pg.Pool;
  // pg's pool.query calls this.connect with a callback: other statements go to the real pool.
  Object.defineProperty(lossy, 'query', { value: pool.query.bind(pool) });
  Object.defineProperty(lossy, 'connect', {
    value: async () => {
      const client = await pool.connect();
      const { query, release } = client;
      const lost = async (...args: unknown[]) => {
        const result = await (query as (...a: unknown[]) => Promise<unknown>).apply(client, args);
        if (drop && String(args[0]).includes('INSERT INTO')) {
          drop = false;
          throw new Error('the reply was lost');
        }
        return result;
      };
      Object.assign(client, {
        query: lost,
        release: (error?: Error | boolean) => {
          Object.assign(client, { query, release });
          return release.call(client, error);
        },
      });
      return client;
    },
  });
  return { pool: lossy, dropNext: () => (drop = true) };
}

describe.skipIf(skip !== undefined && !REQUIRED)(
  `postgres lease mode: lost replies, dead holders, wake-ups${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it('an acquire whose reply was lost deletes its row by holder id: the key is free long before the TTL', async () => {
      if (skip) throw new Error(skip);
      const lossy = lossyPool();
      const a = postgresLocks({ pool: lossy.pool, prefix, mode: 'lease' });
      const b = postgresLocks({ pool, prefix, mode: 'lease' });
      lossy.dropNext();
      await expect(a.acquire('lost-reply', { ttlMs: 60_000 })).rejects.toThrow(/reply was lost/);
      // The statement did take the row; the attempt's clean-up removes it in the background.
      let next = await b.tryAcquire('lost-reply');
      for (let i = 0; i < 50 && next === undefined; i += 1) {
        await sleep(20);
        next = await b.tryAcquire('lost-reply');
      }
      expect(next, 'the key is free again well within the 60 s TTL').toBeDefined();
      await next?.release();
      expect(await rowsOf('lost-reply')).toBe(0);
      await Promise.all([a.close(), b.close()]);
    });

    it('released keys leave no row; rows of holders that died are swept once long expired', async () => {
      if (skip) throw new Error(skip);
      const a = postgresLocks({ pool, prefix, mode: 'lease' });
      const lease = await a.acquire('released');
      await lease.release();
      expect(await rowsOf('released')).toBe(0);
      // A holder that died: its row, expired for a minute, on a key nobody takes again.
      await admin.query(
        `INSERT INTO ${prefix}_lease (key, holder, token, expires_at) VALUES ('dead', 'x', 1, now() - interval '1 minute')`,
      );
      const c = postgresLocks({ pool, prefix, mode: 'lease' }); // a new client sweeps on its first acquire
      await (await c.acquire('other')).release();
      for (let i = 0; i < 50 && (await rowsOf('dead')) > 0; i += 1) await sleep(20);
      expect(await rowsOf('dead')).toBe(0);
      await Promise.all([a.close(), c.close()]);
    });

    it('a release wakes the waiters of its key by NOTIFY, with polling slowed to minutes', async () => {
      if (skip) throw new Error(skip);
      const holder = postgresLocks({ pool, prefix, mode: 'lease' });
      const waiters = [0, 1, 2].map(() => postgresLocks({ pool, prefix, mode: 'lease', pollMs: 600_000 }));
      const lease = await holder.acquire('wake', { ttlMs: 60_000 });
      const got: bigint[] = [];
      const waiting = waiters.map(async (w) => {
        const l = await w.acquire('wake', { ttlMs: 60_000, waitMs: 20_000 });
        got.push(l.token);
        await l.release();
      });
      await sleep(100);
      await lease.release();
      await Promise.all(waiting);
      expect(got).toHaveLength(3);
      expect(got.every((t) => t > lease.token)).toBe(true);
      await Promise.all([holder.close(), ...waiters.map((w) => w.close())]);
    });
  },
);
