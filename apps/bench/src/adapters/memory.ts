import type { BenchAdapter } from './adapter.ts';
import { lockClientLocker } from './lock-client-locker.ts';

/** `@locksmith/memory`: every locker of a process is a client of the same default space. */
export const memoryAdapter: BenchAdapter = {
  name: 'memory',
  backend: 'memory',
  kind: 'locksmith',
  floor: 'memory-floor',
  summary: '@locksmith/memory: in-process, FIFO hand-off, strict tokens, leases renewed by the keeper',
  settings: {},
  requires: [],
  packages: ['@locksmith/memory'],
  scope: 'process',
  async open() {
    const { memoryLocks } = await import('@locksmith/memory');
    return lockClientLocker(memoryLocks());
  },
};
