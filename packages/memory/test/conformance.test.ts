import { runConformance } from '@locksmith/testkit';
import { createMemorySpace, memoryLocks } from '../src/index.ts';

const space = createMemorySpace();

runConformance({
  name: 'memory',
  createClient: () => memoryLocks({ space }),
  faults: { loseLease: async (lease) => void space.forget(lease.key) },
});
