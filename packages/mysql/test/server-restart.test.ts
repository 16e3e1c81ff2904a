// SERVER FAULTS — opt-in: kill -9 of the launcher's MariaDB while locks are held, then a restart
// with its old data. Other engineers' tests may share the server, so this runs only with
// LOCKSMITH_MYSQL_MEMBER_FAULTS=1 (CI sets it; it runs alone, after every other project).
import { killMember, startMember } from '@locksmith/backends';
import { LockLostError } from '@locksmith/core';
import { sleep } from '@locksmith/core/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { mysqlLocks } from '../src/index.ts';
import { connect, skipFor, testPrefix } from './servers.ts';

const enabled = process.env.LOCKSMITH_MYSQL_MEMBER_FAULTS === '1';
const prefix = testPrefix('restart');
const skip = enabled ? await skipFor() : 'set LOCKSMITH_MYSQL_MEMBER_FAULTS=1 to kill the MariaDB server';
const pool = connect();
afterAll(() => pool.end());

describe.skipIf(skip !== undefined)(
  `mysql server crash and restart${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it('session leases are lost with the server; lease rows survive it; tokens never go back', async () => {
      const session = mysqlLocks({ pool, prefix });
      const leased = mysqlLocks({ pool, prefix, mode: 'lease' });
      const rival = mysqlLocks({ pool, prefix, mode: 'lease' });
      const rivalSession = mysqlLocks({ pool, prefix });
      for (const c of [session, leased, rival, rivalSession]) c.on('error', () => undefined);
      const held = await session.acquire('crash-session', { ttlMs: 30_000 });
      const row = await leased.acquire('crash-lease', { ttlMs: 20_000 });
      await killMember('mysql');
      try {
        // The holder's connection died with the server: its GET_LOCK is gone, and it says so.
        while (!held.signal.aborted) await sleep(20);
        expect(LockLostError.isInstance(held.signal.reason)).toBe(true);
      } finally {
        await startMember('mysql');
      }
      // The token sequence resumes past the values it had cached: tokens never go back.
      const again = await rivalSession.acquire('crash-session', { waitMs: 20_000 });
      expect(again.token > held.token, `${again.token} > ${held.token}`).toBe(true);
      await again.release();
      // The lease row (InnoDB) came back with the server: the lease is still held, and its holder
      // renews it once the server answers.
      expect(await rival.tryAcquire('crash-lease')).toBeUndefined();
      if (row.held) await row.release();
      const next = await rival.acquire('crash-lease', { waitMs: 30_000 });
      expect(next.token > row.token).toBe(true);
      await next.release();
      await Promise.all([session.close(), leased.close(), rival.close(), rivalSession.close()]);
    }, 90_000);

    it('a token drawn just before the crash is never drawn again, even when the crash lost the sequence write it made', async () => {
      // Tables of its own: the first token then refills the new sequence's cache, a write InnoDB
      // flushes only within a second, and the kill comes before that.
      const table = `t_refill_${process.pid % 100000}_${Math.random().toString(36).slice(2, 6)}`;
      const before = mysqlLocks({ pool, prefix, table });
      before.on('error', () => undefined);
      const held = await before.acquire('crash-refill', { ttlMs: 30_000 });
      try {
        await killMember('mysql');
      } finally {
        await startMember('mysql');
      }
      const after = mysqlLocks({ pool, prefix, table });
      try {
        const next = await after.acquire('crash-refill', { waitMs: 20_000 });
        expect(next.token > held.token, `${next.token} > ${held.token}`).toBe(true);
        await next.release();
      } finally {
        await Promise.all([before.close(), after.close()]);
        await pool.query(`DROP SEQUENCE IF EXISTS \`${table}_token_seq\``);
        await pool.query(`DROP TABLE IF EXISTS \`${table}_leases\``);
      }
    }, 90_000);
  },
);
