// Client module for the testkit's child processes (kill -9 holder, cross-process safety). The
// parent passes the hosts and path prefix through the environment. The session timeout follows the
// holder's `--ttl-ms` when given (as an application sizes its session to its leases), so a killed
// holder's node goes within that TTL; else 30 s, the contract's default lease.
import type { LockClient } from '@locksmith/core';
import { zookeeperLocks } from '../src/index.ts';
import { NO_SELF_CLOSE, ZooKeeper } from './servers.ts';

export function createZooKeeper(env: NodeJS.ProcessEnv): LockClient {
  const prefix = env.LOCKSMITH_TEST_PREFIX;
  if (!prefix) throw new Error('LOCKSMITH_TEST_PREFIX is not set');
  const ttlArg = process.argv.indexOf('--ttl-ms');
  const ttlMs = ttlArg < 0 ? undefined : Number(process.argv[ttlArg + 1]);
  const client = new ZooKeeper({
    connect: env.LOCKSMITH_ZOOKEEPER_HOSTS ?? '',
    timeout: ttlMs === undefined ? 30_000 : Math.max(2_000, ttlMs),
    response_counter_limit: NO_SELF_CLOSE,
  });
  client.init({});
  const locks = zookeeperLocks({ client, prefix });
  const close = locks.close.bind(locks);
  locks.close = async () => {
    await close();
    client.close();
  };
  return locks;
}
