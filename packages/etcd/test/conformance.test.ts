import { fileURLToPath } from 'node:url';
import { runConformance } from '@locksmith/testkit';
import { afterAll } from 'vitest';
import { etcdLocks } from '../src/index.ts';
import { revokeLeadershipOf, revokeLeaseOf } from './lose-lease.ts';
import { connect, ETCD_ENDPOINTS, skipFor, testPrefix } from './servers.ts';

const prefix = testPrefix('conformance');
const skip = await skipFor();
const client = connect(); // shared by every LockClient, as an application shares its client
afterAll(() => client.close());

runConformance({
  name: 'etcd (3 members)',
  skip,
  createClient: () => etcdLocks({ client, prefix }),
  faults: {
    loseLease: (lease) => revokeLeaseOf(client, prefix, lease),
    loseLeadership: (leadership) => revokeLeadershipOf(client, prefix, leadership),
  },
  holder: {
    module: fileURLToPath(new URL('./holder-client.ts', import.meta.url)),
    exportName: 'createEtcd',
    env: { LOCKSMITH_TEST_PREFIX: prefix, LOCKSMITH_ETCD_ENDPOINTS: ETCD_ENDPOINTS.join(',') },
  },
});
