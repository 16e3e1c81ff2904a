// @locksmith/etcd in one file: a lock on an etcd cluster, fenced writes, waiting, withLock.
// Run it: LOCKSMITH_ETCD_ENDPOINTS=http://127.0.0.1:2379 pnpm exec tsx examples/basic.ts

import { etcdLocks } from '@locksmith/etcd';
import { Etcd3 } from 'etcd3';

export async function main(
  endpoints = (process.env.LOCKSMITH_ETCD_ENDPOINTS ?? 'http://127.0.0.1:2379').split(','),
): Promise<string[]> {
  const client = new Etcd3({ hosts: endpoints }); // every member, as an array
  const locks = etcdLocks({ client, prefix: `example-${process.pid}` });
  const log: string[] = [];
  try {
    {
      // Held until the end of the block; the session lease is kept alive meanwhile.
      await using lease = await locks.acquire('invoice:42', { ttlMs: 10_000, waitMs: 5_000 });
      log.push(`held ${lease.key}`);
      log.push(
        `second try while held: ${(await locks.tryAcquire('invoice:42')) === undefined ? 'busy' : 'got it'}`,
      );

      // A waiter watches the entry ahead of it and is woken by its delete, not by polling.
      const waiter = locks.acquire('invoice:42', { waitMs: 5_000 });
      await lease.release();
      const next = await waiter;
      log.push(`waiter took over with a larger token: ${next.token > lease.token}`);
      await next.release();
    }
    const total = await locks.withLock('invoice:42', async (lease) => {
      // The token is the entry's create revision: pass it with every write to the resource.
      return `withLock ran (token is a ${typeof lease.token})`;
    });
    log.push(total);
  } finally {
    await locks.close(); // releases what it holds and revokes its own leases; your client stays open
    client.close();
  }
  return log;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await main()).join('\n'));
