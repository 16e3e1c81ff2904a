import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'etcd', setupFiles: ['@locksmith/testkit/guard'], globalSetup: ['./test/global-setup.ts'] },
});
