import { fileURLToPath } from 'node:url';
import { runConformance } from '@locksmith/testkit';
import { afterAll } from 'vitest';
import { type MysqlLockMode, mysqlLocks } from '../src/index.ts';
import { expireLeaseRow, killHolderConnection } from './lose-lease.ts';
import { connect, MYSQL_URL, skipFor, testPrefix } from './servers.ts';

const skip = await skipFor();
const pool = connect(); // shared by every LockClient, as an application shares its pool
afterAll(() => pool.end());

for (const mode of ['session', 'lease'] as const satisfies readonly MysqlLockMode[]) {
  const prefix = testPrefix(`conf-${mode}`);
  runConformance({
    name: `mysql (${mode} mode, MariaDB)`,
    skip,
    createClient: () => mysqlLocks({ pool, mode, prefix }),
    faults: {
      loseLease: async (lease) => {
        if (mode === 'session') await killHolderConnection(pool, prefix, lease);
        else await expireLeaseRow(pool, prefix, lease);
      },
    },
    holder: {
      module: fileURLToPath(new URL('./holder-client.ts', import.meta.url)),
      exportName: 'createMysql',
      env: { LOCKSMITH_TEST_PREFIX: prefix, LOCKSMITH_MYSQL_URL: MYSQL_URL, LOCKSMITH_MYSQL_MODE: mode },
    },
  });
}
