import { defineConfig } from 'vitest/config';

/**
 * A test file that kills or restarts a shared server (a cluster's leader, the MariaDB server): its
 * own project, run after every other project (backends, which kills leaders too, is groupOrder 1),
 * so it never disturbs another test. Each one touches only its own backend's servers, so they may
 * run side by side.
 */
function serverFaults(backend: string, file: string) {
  return {
    test: {
      name: `${backend}-member-faults`,
      root: `packages/${backend}`,
      include: [file],
      setupFiles: ['@locksmith/testkit/guard'],
      globalSetup: ['./test/global-setup.ts'],
      testTimeout: 120_000,
      sequence: { groupOrder: 2 },
    },
  };
}

// One run over every package, so CI reads a single summary.
export default defineConfig({
  test: {
    projects: [
      'packages/*',
      'apps/*',
      { test: { name: 'repo', include: ['test/**/*.test.ts'] } },
      serverFaults('etcd', 'test/leader-kill.test.ts'),
      serverFaults('zookeeper', 'test/leader-kill.test.ts'),
      serverFaults('consul', 'test/leader-kill.test.ts'),
      serverFaults('mysql', 'test/server-restart.test.ts'),
      // The fault suite's member fault on all three clusters and its MariaDB restart: after every
      // other project, so it never kills a server while another member-fault project has one down.
      {
        test: {
          name: 'faults-member',
          root: 'apps/faults',
          include: ['test/member.faults.test.ts'],
          setupFiles: ['@locksmith/testkit/guard'],
          globalSetup: ['@locksmith/backends/global-setup'],
          testTimeout: 300_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
