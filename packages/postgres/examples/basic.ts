// @locksmith/postgres in one file: a lock in PostgreSQL, fenced writes, waiting, withLock, and
// lease mode for deployments behind a transaction-mode pooler.
// Run it: LOCKSMITH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm exec tsx examples/basic.ts

import { postgresLocks } from '@locksmith/postgres';
import pg from 'pg';

export async function main(
  url = process.env.LOCKSMITH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  prefix = 'locksmith_example',
): Promise<string[]> {
  const pool = new pg.Pool({ connectionString: url });
  // Session mode (the default): advisory locks on connections it keeps; waiters queue in the server.
  const locks = postgresLocks({ pool, prefix });
  const log: string[] = [];
  try {
    {
      await using lease = await locks.acquire('invoice:42', { ttlMs: 10_000, waitMs: 5_000 });
      log.push(`held ${lease.key}`);
      log.push(
        `second try while held: ${(await locks.tryAcquire('invoice:42')) === undefined ? 'busy' : 'got it'}`,
      );

      // A waiter blocks in the server's queue and is granted the lock the moment it is unlocked.
      const waiter = locks.acquire('invoice:42', { waitMs: 5_000 });
      await lease.release();
      const next = await waiter;
      log.push(`waiter took over with a larger token: ${next.token > lease.token}`);
      await next.release();
    }
    const total = await locks.withLock('invoice:42', async (lease) => {
      // The token comes from a sequence: pass it with every write to the resource.
      return `withLock ran (token is a ${typeof lease.token})`;
    });
    log.push(total);

    // Lease mode: a row per key, expiring by the server's clock; works through PgBouncer.
    const leased = postgresLocks({ pool, prefix, mode: 'lease' });
    const row = await leased.acquire('invoice:42', { ttlMs: 5_000 });
    log.push(`lease mode holds it too: ${row.held}`);
    await row.release();
    await leased.close();
  } finally {
    await locks.close(); // releases what it holds and hands its connections back; your pool stays open
    await pool.end();
  }
  return log;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await main()).join('\n'));
