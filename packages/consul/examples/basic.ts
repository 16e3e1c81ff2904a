// @locksmith/consul in one file: a lock on a Consul cluster, fenced writes, waiting, withLock.
// Run it: LOCKSMITH_CONSUL_ADDRS=http://127.0.0.1:8500 pnpm exec tsx examples/basic.ts

import { consulLocks } from '@locksmith/consul';
import Consul from 'consul';

export async function main(
  addr = process.env.LOCKSMITH_CONSUL_ADDRS?.split(',')[0] ?? 'http://127.0.0.1:8500',
) {
  const url = new URL(addr);
  const client = new Consul({ host: url.hostname, port: Number(url.port) }); // one agent of the cluster
  const locks = consulLocks({ client, prefix: `example-${process.pid}` });
  const log: string[] = [];
  try {
    {
      // Held until the end of the block; the client's session is renewed meanwhile.
      await using lease = await locks.acquire('invoice:42', { ttlMs: 10_000, waitMs: 5_000 });
      log.push(`held ${lease.key}`);
      log.push(
        `second try while held: ${(await locks.tryAcquire('invoice:42')) === undefined ? 'busy' : 'got it'}`,
      );

      // A waiter blocks on the key (a Consul blocking query) and is woken by the release.
      const waiter = locks.acquire('invoice:42', { waitMs: 5_000 });
      await lease.release();
      const next = await waiter;
      log.push(`waiter took over with a larger token: ${next.token > lease.token}`);
      await next.release();
    }
    const total = await locks.withLock('invoice:42', async (lease) => {
      // The token is the key's ModifyIndex (a raft index): pass it with every write to the resource.
      return `withLock ran (token is a ${typeof lease.token})`;
    });
    log.push(total);
  } finally {
    await locks.close(); // releases what it holds and destroys its own sessions; your client stays open
    client.destroy(); // the consul package's own clean-up (its keep-alive agent)
  }
  return log;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await main()).join('\n'));
