import { fileURLToPath } from 'node:url';
import { runConformance } from '@locksmith/testkit';
import { afterAll } from 'vitest';
import { consulLocks } from '../src/index.ts';
import { destroyLeaderSession, destroySessionOf } from './lose-lease.ts';
import { CONSUL_ADDRS, connect, skipFor, testPrefix } from './servers.ts';

const prefix = testPrefix('conformance');
const skip = await skipFor();
const client = connect(); // shared by every LockClient, as an application shares its client
afterAll(() => client.destroy());

runConformance({
  name: 'consul (3 servers)',
  skip,
  // No lock-delay: the lost-lease cases let another client in right after the session is
  // destroyed (faults.test.ts shows the default lock-delay keeping it out until the old lease ended).
  createClient: () => consulLocks({ client, prefix, lockDelayMs: 0 }),
  faults: {
    loseLease: (lease) => destroySessionOf(client, prefix, lease),
    loseLeadership: (leadership) => destroyLeaderSession(client, prefix, leadership),
  },
  holder: {
    module: fileURLToPath(new URL('./holder-client.ts', import.meta.url)),
    exportName: 'createConsul',
    env: { LOCKSMITH_TEST_PREFIX: prefix, LOCKSMITH_CONSUL_ADDRS: CONSUL_ADDRS.join(',') },
  },
});
