import { defineConfig } from 'vitest/config';

// One run over every package, so CI reads a single summary.
export default defineConfig({
  test: {
    projects: [
      'packages/*',
      'apps/*',
      { test: { name: 'repo', include: ['test/**/*.test.ts'] } },
      // Kills the shared etcd cluster's leader: runs alone, after every other project (backends,
      // which kills leaders too, is groupOrder 1), so it never disturbs another test.
      {
        test: {
          name: 'etcd-member-faults',
          root: 'packages/etcd',
          include: ['test/leader-kill.test.ts'],
          setupFiles: ['@locksmith/testkit/guard'],
          globalSetup: ['./test/global-setup.ts'],
          testTimeout: 120_000,
          sequence: { groupOrder: 2 },
        },
      },
      // Kills the shared ZooKeeper ensemble's leader: alone, after every other project, like etcd's.
      {
        test: {
          name: 'zookeeper-member-faults',
          root: 'packages/zookeeper',
          include: ['test/leader-kill.test.ts'],
          setupFiles: ['@locksmith/testkit/guard'],
          globalSetup: ['./test/global-setup.ts'],
          testTimeout: 120_000,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
