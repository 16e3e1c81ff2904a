// @locksmith/redis in one file: a lock on one Redis server, fenced writes, waiting, withLock.
// Run it: LOCKSMITH_REDIS_URL=redis://127.0.0.1:6379 pnpm exec tsx examples/basic.ts

import { redisLocks } from '@locksmith/redis';
import { Redis } from 'ioredis';

export async function main(
  url = process.env.LOCKSMITH_REDIS_URL ?? 'redis://127.0.0.1:6379',
): Promise<string[]> {
  const client = new Redis(url);
  const locks = redisLocks({ client, prefix: `example-${process.pid}` });
  const log: string[] = [];
  try {
    {
      // Held until the end of the block; renewed in the background meanwhile.
      await using lease = await locks.acquire('invoice:42', { ttlMs: 10_000, waitMs: 5_000 });
      log.push(`held ${lease.key}`);
      log.push(
        `second try while held: ${(await locks.tryAcquire('invoice:42')) === undefined ? 'busy' : 'got it'}`,
      );

      // A waiter is woken by the release (pub/sub), not by polling.
      const waiter = locks.acquire('invoice:42', { waitMs: 5_000 });
      await lease.release();
      const next = await waiter;
      log.push(`waiter took over with a larger token: ${next.token > lease.token}`);
      await next.release();
    }
    const total = await locks.withLock('invoice:42', async (lease) => {
      // Pass lease.token with every write so the store can reject a stale holder.
      return `withLock ran (token is a ${typeof lease.token})`;
    });
    log.push(total);
  } finally {
    await locks.close(); // releases what it holds; leaves your client open
    client.disconnect();
  }
  return log;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await main()).join('\n'));
