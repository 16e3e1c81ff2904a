import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'mysql',
    setupFiles: ['@locksmith/testkit/guard'],
    globalSetup: ['./test/global-setup.ts'],
  },
});
