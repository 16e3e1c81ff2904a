// SERVER CRASH: kill -9 of a private PostgreSQL cluster (the postmaster and every backend), then a
// start on its data (crash recovery). Tokens drawn before the crash are never drawn again, even
// when the WAL record that covered them had not reached the disk.
import type { LockClient } from '@locksmith/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresLocks } from '../src/index.ts';
import { PrivatePostgres, privatePostgresSkip } from './private-postgres.ts';
import { REQUIRED, testPrefix } from './servers.ts';

const skip = privatePostgresSkip();
let server: PrivatePostgres | undefined;
const opened: { pools: pg.Pool[]; clients: LockClient[] } = { pools: [], clients: [] };

function pool(options: pg.PoolConfig = {}): pg.Pool {
  if (server === undefined) throw new Error('the private server did not start');
  const p = new pg.Pool({ connectionString: server.url, max: 5, ...options });
  p.on('error', () => undefined); // an idle connection the crash ended
  opened.pools.push(p);
  return p;
}

function locks(options: Parameters<typeof postgresLocks>[0]): LockClient {
  const client = postgresLocks(options);
  client.on('error', () => undefined); // the holds the crash ended
  opened.clients.push(client);
  return client;
}

/** A crash: every server process killed at once, then a start on the same data. */
async function crash(): Promise<void> {
  if (server === undefined) throw new Error('the private server did not start');
  try {
    await server.kill();
  } finally {
    await server.start();
  }
}

describe.skipIf(skip !== undefined && !REQUIRED)(
  `postgres server crash (kill -9) and restart, on a private cluster${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    beforeAll(async () => {
      if (skip) throw new Error(skip);
      server = await PrivatePostgres.start();
    }, 60_000);
    afterAll(async () => {
      await Promise.all(opened.clients.map((c) => c.close().catch(() => undefined)));
      await Promise.all(opened.pools.map((p) => p.end().catch(() => undefined)));
      await server?.stop();
    });

    it('session: a token drawn while another draw had logged the sequence but not yet flushed that log is never drawn again', async () => {
      const prefix = testPrefix('crash_session');
      const before = pool();
      const first = locks({ pool: before, prefix });
      await (await first.acquire('k')).release(); // creates the sequence
      // After a checkpoint, the next nextval writes a WAL record for the next 32 values. Here it is
      // another acquirer's, whose commit (the WAL flush) has not happened yet: held open.
      await before.query('CHECKPOINT');
      const other = new pg.Client({ connectionString: (server as PrivatePostgres).url });
      other.on('error', () => undefined);
      await other.connect();
      await other.query('BEGIN');
      await other.query(`SELECT nextval('${prefix}_token')`);
      // This draw writes no WAL (the record above covers it) and its commit flushes nothing.
      const held = await first.acquire('k', { ttlMs: 30_000 });
      await crash();
      await other.end().catch(() => undefined);
      const next = await locks({ pool: pool(), prefix }).acquire('k', { waitMs: 20_000 });
      expect(next.token > held.token, `${next.token} > ${held.token}`).toBe(true);
      await next.release();
    }, 90_000);

    it('lease: with synchronous_commit off, the crash takes the row and the sequence back, yet the next token is above the last one', async () => {
      const prefix = testPrefix('crash_lease');
      const asyncCommit = { options: '-c synchronous_commit=off' };
      const first = locks({ pool: pool(asyncCommit), prefix, mode: 'lease' });
      await (await first.acquire('k')).release(); // creates the sequence and the table
      // Its commit reaches the WAL on disk only with the WAL writer's next round (up to 200 ms).
      const held = await first.acquire('k', { ttlMs: 30_000 });
      await crash();
      const next = await locks({ pool: pool(asyncCommit), prefix, mode: 'lease' }).acquire('k', {
        waitMs: 40_000,
      });
      expect(next.token > held.token, `${next.token} > ${held.token}`).toBe(true);
      await next.release();
    }, 90_000);
  },
);
