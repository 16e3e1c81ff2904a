// Session and lease behaviour on the real server: a killed holder connection, a paused holder
// process, an abandoned wait, GET_LOCK re-entrancy, a multiplexing proxy, a token row lost.
import { fileURLToPath } from 'node:url';
import { BackendUnavailableError, LockLostError } from '@locksmith/core';
import { sleep } from '@locksmith/core/protocol';
import { spawnHolder } from '@locksmith/testkit';
import { createPool } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { mysqlLockName, mysqlLocks, SessionPoolerError } from '../src/index.ts';
import { killHolderConnection } from './lose-lease.ts';
import { startMultiplexingProxy } from './multiplexing-proxy.ts';
import { connect, MYSQL_URL, REQUIRED, skipFor, testPrefix } from './servers.ts';

const prefix = testPrefix('faults');
const skip = await skipFor();
const pool = connect();
afterAll(() => pool.end());
const holderModule = fileURLToPath(new URL('./holder-client.ts', import.meta.url));

function abortedWith(signal: AbortSignal): Promise<unknown> {
  return signal.aborted
    ? Promise.resolve(signal.reason)
    : new Promise((resolve) =>
        signal.addEventListener('abort', () => resolve(signal.reason), { once: true }),
      );
}

/** Server connections waiting in GET_LOCK for `name`. */
async function waitersOf(name: string): Promise<number> {
  const [rows] = await pool.query(
    "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND INFO LIKE '%GET_LOCK%' AND INFO LIKE ?",
    [`%${name}%`],
  );
  return Number((rows as { n: number }[])[0]?.n);
}

// Generous: a loaded machine (or CI) can take seconds to start the holder processes.
describe.skipIf(skip !== undefined && !REQUIRED)(
  `mysql faults${skip ? ` (skipped: ${skip})` : ''}`,
  { timeout: 60_000 },
  () => {
    it('session: KILL of the holder connection aborts lease.signal before a waiter holds the lock', async () => {
      if (skip) throw new Error(skip);
      const a = mysqlLocks({ pool, prefix });
      const b = mysqlLocks({ pool, prefix });
      a.on('error', () => undefined);
      const lease = await a.acquire('killed', { ttlMs: 30_000 });
      const waiting = b.acquire('killed', { waitMs: 20_000 });
      while ((await waitersOf(mysqlLockName(prefix, 'killed'))) === 0) await sleep(10);
      await killHolderConnection(pool, prefix, lease);
      const next = await waiting;
      // The server frees the lock only as it drops the connection, whose close reaches us first.
      expect(lease.signal.aborted, 'the first lease reads lost once another client holds the lock').toBe(
        true,
      );
      expect(LockLostError.isInstance(await abortedWith(lease.signal))).toBe(true);
      expect(next.token > lease.token).toBe(true);
      await lease.release(); // a lost lease's release is a no-op, never the new holder's
      expect(await a.tryAcquire('killed')).toBeUndefined();
      await next.release();
      await Promise.all([a.close(), b.close()]);
    });

    it('session: an abandoned blocking wait leaves no waiter on the server and no lock behind', async () => {
      if (skip) throw new Error(skip);
      const a = mysqlLocks({ pool, prefix });
      const b = mysqlLocks({ pool, prefix });
      const name = mysqlLockName(prefix, 'abandoned');
      const lease = await a.acquire('abandoned');
      // The waiter is a's own (another connection of the same client): a's release waits for the
      // KILL of its abandoned wait, so it never hands the lock to the dying connection.
      const controller = new AbortController();
      const waiting = a.acquire('abandoned', { signal: controller.signal });
      while ((await waitersOf(name)) === 0) await sleep(10);
      controller.abort(new Error('gave up'));
      await expect(waiting).rejects.toThrow('gave up');
      await lease.release();
      const again = await b.tryAcquire('abandoned');
      expect(again, 'the killed waiter took nothing').toBeDefined();
      await again?.release();
      await a.close(); // waits for the KILL
      expect(await waitersOf(name)).toBe(0);
      const [rows] = await pool.query('SELECT IS_USED_LOCK(?) AS id', [name]);
      expect((rows as { id: number | null }[])[0]?.id).toBeNull();
      await b.close();
    });

    it("session: another client's abandoned wait frees the lock once its KILL lands", async () => {
      if (skip) throw new Error(skip);
      const a = mysqlLocks({ pool, prefix });
      const b = mysqlLocks({ pool, prefix });
      const name = mysqlLockName(prefix, 'abandoned-other');
      const lease = await a.acquire('abandoned-other');
      const controller = new AbortController();
      const waiting = b.acquire('abandoned-other', { signal: controller.signal });
      while ((await waitersOf(name)) === 0) await sleep(10);
      controller.abort(new Error('gave up'));
      await expect(waiting).rejects.toThrow('gave up');
      // The release may hand the lock to b's connection for the instant before the KILL lands
      // (documented); the lock is free right after, and nothing is left on the server.
      await lease.release();
      const again = await a.acquire('abandoned-other', { waitMs: 10_000 });
      await again.release();
      await b.close();
      expect(await waitersOf(name)).toBe(0);
      await a.close();
    });

    it('session: GET_LOCK re-entrancy never grants a lock twice to one connection', async () => {
      if (skip) throw new Error(skip);
      // A one-connection pool whose connection already holds the lock (a user's GET_LOCK left on
      // it): GET_LOCK alone would say 1 again on that connection.
      const single = createPool({ uri: MYSQL_URL, connectionLimit: 1 });
      const name = mysqlLockName(prefix, 'reentrant');
      const conn = await single.getConnection();
      await conn.query('SELECT GET_LOCK(?, 0)', [name]);
      conn.release();
      const locks = mysqlLocks({ pool: single, prefix });
      expect(await locks.tryAcquire('reentrant')).toBeUndefined();
      await locks.close();
      await single.end();
    });

    it('session: a holder process paused (SIGSTOP) past its TTL is freed by the server; it reads lost on resume', async () => {
      if (skip) throw new Error(skip);
      const holder = await spawnHolder({
        module: holderModule,
        exportName: 'createMysql',
        env: {
          LOCKSMITH_TEST_PREFIX: prefix,
          LOCKSMITH_MYSQL_URL: MYSQL_URL,
          LOCKSMITH_MYSQL_MODE: 'session',
        },
        key: 'paused',
        ttlMs: 1_000,
      });
      try {
        holder.child.kill('SIGSTOP');
        const b = mysqlLocks({ pool, prefix });
        // wait_timeout (TTL + 1 s, in whole seconds) closes the silent connection on the server.
        const lease = await b.acquire('paused', { waitMs: 20_000 });
        expect(lease.token > holder.token).toBe(true);
        holder.child.kill('SIGCONT');
        while (!holder.lines.some((l) => l.startsWith('LOST'))) await sleep(20);
        await lease.release();
        await b.close();
      } finally {
        holder.child.kill('SIGCONT');
        await holder.kill();
      }
    });

    it('session behind a multiplexing proxy is refused with the fix; lease mode works through it', async () => {
      if (skip) throw new Error(skip);
      const proxy = await startMultiplexingProxy(new URL(MYSQL_URL));
      const proxied = createPool({ uri: proxy.url, connectionLimit: 2 });
      try {
        const session = mysqlLocks({ pool: proxied, prefix });
        const refused = await session.acquire('pooled', { waitMs: 1_000 }).catch((e: unknown) => e);
        expect(refused, String(refused)).toBeInstanceOf(SessionPoolerError);
        expect(BackendUnavailableError.isInstance(refused), String(refused)).toBe(true);
        expect(String((refused as Error).message)).toMatch(/different server connections.*mode: 'lease'/s);
        await session.close();
        const leaseMode = mysqlLocks({ pool: proxied, prefix, mode: 'lease' });
        const lease = await leaseMode.acquire('pooled');
        expect(await leaseMode.tryAcquire('pooled')).toBeUndefined();
        await lease.release();
        await leaseMode.close();
      } finally {
        await proxied.end();
        await proxy.close();
      }
    });

    it('lease: tokens keep increasing when the lease row is gone (pruned or lost)', async () => {
      if (skip) throw new Error(skip);
      const locks = mysqlLocks({ pool, prefix, mode: 'lease' });
      const first = await locks.acquire('gone');
      await first.release();
      await pool.query('DELETE FROM locksmith_leases WHERE name = ?', [mysqlLockName(prefix, 'gone')]);
      const second = await locks.acquire('gone');
      expect(second.token > first.token).toBe(true);
      await second.release();
      await locks.close();
    });

    it('session: tokens come from the sequence, drawn under the lock: a waiter granted later draws a larger one', async () => {
      if (skip) throw new Error(skip);
      const [a, b, c] = [
        mysqlLocks({ pool, prefix }),
        mysqlLocks({ pool, prefix }),
        mysqlLocks({ pool, prefix }),
      ];
      const first = await a.acquire('order');
      const waiting = b.acquire('order', { waitMs: 10_000 });
      while ((await waitersOf(mysqlLockName(prefix, 'order'))) === 0) await sleep(10);
      // Another key drawn while b waits: b's token is drawn only at its grant, after this one.
      const other = await c.acquire('order-other');
      await first.release();
      const second = await waiting;
      expect(second.token > other.token && other.token > first.token).toBe(true);
      await Promise.all([second.release(), other.release()]);
      await Promise.all([a.close(), b.close(), c.close()]);
    });

    it('session: a new connection draws a token above the server clock, wherever the sequence was', async () => {
      if (skip) throw new Error(skip);
      // What lets tokens go on after a crash took the sequence's last write (server-restart.test.ts):
      // here the sequence is put back by hand, below the clock, as such a crash leaves it.
      const table = `t_clock_${process.pid % 100000}_${Math.random().toString(36).slice(2, 6)}`;
      const first = mysqlLocks({ pool, prefix, table });
      const second = mysqlLocks({ pool, prefix, table });
      try {
        await (await first.acquire('above-clock')).release();
        await pool.query(`ALTER SEQUENCE \`${table}_token_seq\` RESTART WITH 1`);
        const [rows] = await pool.query(
          "SELECT TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) AS now",
        );
        const now = BigInt(String((rows as { now: number | string }[])[0]?.now));
        const lease = await second.acquire('above-clock');
        expect(lease.token > now, `${lease.token} > ${now}`).toBe(true);
        await lease.release();
      } finally {
        await Promise.all([first.close(), second.close()]);
        await pool.query(`DROP SEQUENCE IF EXISTS \`${table}_token_seq\``);
        await pool.query(`DROP TABLE IF EXISTS \`${table}_leases\``);
      }
    });

    it('lease: a paused holder (SIGSTOP) loses its row at the TTL by the server clock; it reads lost on resume', async () => {
      if (skip) throw new Error(skip);
      const holder = await spawnHolder({
        module: holderModule,
        exportName: 'createMysql',
        env: { LOCKSMITH_TEST_PREFIX: prefix, LOCKSMITH_MYSQL_URL: MYSQL_URL, LOCKSMITH_MYSQL_MODE: 'lease' },
        key: 'paused-lease',
        ttlMs: 1_000,
      });
      try {
        holder.child.kill('SIGSTOP');
        const b = mysqlLocks({ pool, prefix, mode: 'lease' });
        const lease = await b.acquire('paused-lease', { waitMs: 20_000 });
        expect(lease.token > holder.token).toBe(true);
        holder.child.kill('SIGCONT');
        while (!holder.lines.some((l) => l.startsWith('LOST'))) await sleep(20);
        await lease.release();
        await b.close();
      } finally {
        holder.child.kill('SIGCONT');
        await holder.kill();
      }
    });
  },
);
