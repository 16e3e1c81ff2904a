import { configDefaults, defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'mysql',
    setupFiles: ['@locksmith/testkit/guard'],
    globalSetup: ['./test/global-setup.ts'],
    // The server-restart test is its own project (root vitest.config.ts), run after all others.
    exclude: [...configDefaults.exclude, 'test/server-restart.test.ts'],
  },
});
