// @locksmith/zookeeper in one file: a lock on a ZooKeeper ensemble, fenced writes, waiting, withLock.
// Run it: LOCKSMITH_ZOOKEEPER_HOSTS=127.0.0.1:2181 pnpm exec tsx examples/basic.ts

import { createRequire } from 'node:module';
import { type ZooKeeperClient, zookeeperLocks } from '@locksmith/zookeeper';

// The `zookeeper` package is CommonJS; its own typings do not describe the module as imported.
const ZooKeeper = createRequire(import.meta.url)('zookeeper') as new (
  config: object,
) => ZooKeeperClient & {
  init(config: object): void;
  close(): void;
};

export async function main(
  hosts = process.env.LOCKSMITH_ZOOKEEPER_HOSTS ?? '127.0.0.1:2181',
): Promise<string[]> {
  // Every node of the ensemble; the session timeout bounds every lock's ttlMs. A high
  // response_counter_limit keeps node-zookeeper from closing the session itself under load.
  const client = new ZooKeeper({ connect: hosts, timeout: 30_000, response_counter_limit: 1_000_000_000 });
  client.init({});
  const locks = zookeeperLocks({ client, prefix: `/example-${process.pid}` });
  const log: string[] = [];
  try {
    {
      // Held until the end of the block; the session keeps the node, renewals check it.
      await using lease = await locks.acquire('invoice:42', { ttlMs: 20_000, waitMs: 5_000 });
      log.push(`held ${lease.key}`);
      log.push(
        `second try while held: ${(await locks.tryAcquire('invoice:42', { ttlMs: 20_000 })) === undefined ? 'busy' : 'got it'}`,
      );

      // A waiter watches only the node ahead of it and is woken by its delete, not by polling.
      const waiter = locks.acquire('invoice:42', { ttlMs: 20_000, waitMs: 5_000 });
      await lease.release();
      const next = await waiter;
      log.push(`waiter took over with a larger token: ${next.token > lease.token}`);
      await next.release();
    }
    const total = await locks.withLock(
      'invoice:42',
      // The token is the node's czxid: pass it with every write to the resource.
      async (lease) => `withLock ran (token is a ${typeof lease.token})`,
      { ttlMs: 20_000 },
    );
    log.push(total);
  } finally {
    await locks.close(); // releases what it holds; your client and its session stay open
    client.close();
  }
  return log;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await main()).join('\n'));
