import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runConformance } from '@locksmith/testkit';
import { afterAll } from 'vitest';
import { fileLocks } from '../src/index.ts';
import { dropFileLock } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'locksmith-file-conformance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runConformance({
  name: 'file',
  createClient: ({ slowPoll }) => fileLocks({ dir, pollMs: slowPoll ? 60_000 : 20 }),
  faults: { loseLease: (lease) => dropFileLock(dir, lease.key) },
  holder: {
    module: fileURLToPath(new URL('./fixtures/client.ts', import.meta.url)),
    env: { LOCKSMITH_FILE_DIR: dir },
  },
});
