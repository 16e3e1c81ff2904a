import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'file', setupFiles: ['@locksmith/testkit/guard'] } });
