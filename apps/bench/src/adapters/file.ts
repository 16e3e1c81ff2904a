import { join } from 'node:path';
import type { BenchAdapter } from './adapter.ts';
import { lockClientLocker } from './lock-client-locker.ts';

/** `@locksmith/file` on the run's directory, shared by the worker processes. */
export const fileAdapter: BenchAdapter = {
  name: 'file',
  backend: 'file',
  kind: 'locksmith',
  floor: 'file-floor',
  summary:
    '@locksmith/file: one atomic rename per state change, strict tokens, backoff polling cut short by fs.watch',
  settings: {},
  requires: [],
  packages: ['@locksmith/file'],
  scope: 'machine',
  async open(env) {
    const { fileLocks } = await import('@locksmith/file');
    return lockClientLocker(fileLocks({ dir: join(env.fileDir, 'file') }));
  },
};
