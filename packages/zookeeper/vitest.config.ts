import { configDefaults, defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'zookeeper',
    setupFiles: ['@locksmith/testkit/guard'],
    globalSetup: ['./test/global-setup.ts'],
    // The leader-kill test is its own project (root vitest.config.ts), run after all others.
    exclude: [...configDefaults.exclude, 'test/leader-kill.test.ts'],
  },
});
