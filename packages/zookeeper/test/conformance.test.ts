import { fileURLToPath } from 'node:url';
import { runConformance } from '@locksmith/testkit';
import { afterAll } from 'vitest';
import { zookeeperLocks } from '../src/index.ts';
import { expireLeaderSession, expireSessionOf } from './lose-lease.ts';
import { connect, skipFor, type TestZooKeeper, testPrefix, ZOOKEEPER_HOSTS } from './servers.ts';

const prefix = testPrefix('conformance');
const skip = await skipFor();
// One session per lock client, so the kill hook (a session expiry) ends only that client's locks.
const clients: TestZooKeeper[] = [];
const reader = skip ? undefined : await connect();
afterAll(() => {
  for (const c of [...clients, ...(reader ? [reader] : [])]) c.close();
});

runConformance({
  name: 'zookeeper (3-node ensemble)',
  skip,
  createClient: async () => {
    const client = await connect();
    clients.push(client);
    return zookeeperLocks({ client, prefix });
  },
  faults: {
    loseLease: (lease) => expireSessionOf(reader as TestZooKeeper, clients, prefix, lease),
    loseLeadership: (leadership) => expireLeaderSession(reader as TestZooKeeper, clients, prefix, leadership),
  },
  holder: {
    module: fileURLToPath(new URL('./holder-client.ts', import.meta.url)),
    exportName: 'createZooKeeper',
    env: { LOCKSMITH_TEST_PREFIX: prefix, LOCKSMITH_ZOOKEEPER_HOSTS: ZOOKEEPER_HOSTS },
  },
});
