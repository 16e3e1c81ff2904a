import { configDefaults, defineProject } from 'vitest/config';

// The fault suite on every backend, quick setting (test/*.faults.test.ts), against the launcher's
// servers; faults run side by side within a file (vitest runs one file at a time on 2 cores). The
// member faults on the shared clusters are their own project, run last (root vitest.config.ts).
export default defineProject({
  test: {
    name: 'faults',
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'test/member.faults.test.ts'],
    setupFiles: ['@locksmith/testkit/guard'],
    globalSetup: ['@locksmith/backends/global-setup'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
