// @locksmith/mysql in one file: a lock in each mode on a MySQL/MariaDB server, fenced writes,
// waiting, withLock.
// Run it: LOCKSMITH_MYSQL_URL=mysql://root@127.0.0.1:3306/app pnpm exec tsx examples/basic.ts

import { mysqlLocks } from '@locksmith/mysql';
import { createPool } from 'mysql2/promise';

export async function main(
  url = process.env.LOCKSMITH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/app',
): Promise<string[]> {
  // Session mode keeps a pool connection per held lock and per waiting acquire: size the pool for it.
  const pool = createPool({ uri: url, connectionLimit: 10 });
  const prefix = `example-${process.pid}:`;
  const locks = mysqlLocks({ pool, prefix }); // mode: 'session' (GET_LOCK), the default
  const leases = mysqlLocks({ pool, prefix, mode: 'lease' }); // a row per key: works behind ProxySQL
  const log: string[] = [];
  try {
    {
      // Held until the end of the block; renewed meanwhile.
      await using lease = await locks.acquire('invoice:42', { ttlMs: 10_000, waitMs: 5_000 });
      log.push(`held ${lease.key}`);
      log.push(
        `second try while held: ${(await locks.tryAcquire('invoice:42')) === undefined ? 'busy' : 'got it'}`,
      );

      // The waiter blocks in GET_LOCK on the server, which hands it the lock on release.
      const waiter = locks.acquire('invoice:42', { waitMs: 5_000 });
      await lease.release();
      const next = await waiter;
      log.push(`waiter took over with a larger token: ${next.token > lease.token}`);
      await next.release();
    }
    const ran = await leases.withLock('invoice:42', async (lease) => {
      // Pass the token with every write to the resource (compare it there, reject smaller ones).
      return `lease mode withLock ran (token is a ${typeof lease.token})`;
    });
    log.push(ran);
  } finally {
    await locks.close(); // releases what it holds; your pool stays open
    await leases.close();
    await pool.end();
  }
  return log;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await main()).join('\n'));
