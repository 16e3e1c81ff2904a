import { fileURLToPath } from 'node:url';
import { runConformance } from '@locksmith/testkit';
import { afterAll } from 'vitest';
import { postgresLocks } from '../src/index.ts';
import { deleteLeaseRow, terminateHolder } from './lose-lease.ts';
import { connect, dropSchema, POSTGRES_URL, skipFor, testPrefix } from './servers.ts';

const prefix = testPrefix('conf');
const skip = await skipFor();
const pool = connect(40); // shared by every LockClient, as an application shares its pool
const admin = connect(4); // the fault hooks' own connections
afterAll(async () => {
  if (!skip) await dropSchema(admin, prefix);
  await Promise.all([pool.end(), admin.end()]);
});
const holder = (mode: string) => ({
  module: fileURLToPath(new URL('./holder-client.ts', import.meta.url)),
  exportName: 'createPostgres',
  env: { LOCKSMITH_TEST_PREFIX: prefix, LOCKSMITH_POSTGRES_URL: POSTGRES_URL, LOCKSMITH_POSTGRES_MODE: mode },
});

runConformance({
  name: 'postgres (session mode)',
  skip,
  createClient: () => postgresLocks({ pool, prefix }),
  faults: { loseLease: (lease) => terminateHolder(admin, prefix, lease) },
  holder: holder('session'),
});

runConformance({
  name: 'postgres (lease mode)',
  skip,
  createClient: ({ slowPoll }) =>
    postgresLocks({ pool, prefix, mode: 'lease', ...(slowPoll ? { pollMs: 600_000 } : {}) }),
  faults: { loseLease: (lease) => deleteLeaseRow(admin, prefix, lease) },
  holder: holder('lease'),
});
