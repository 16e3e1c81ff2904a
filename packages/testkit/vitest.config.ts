import { defineProject } from 'vitest/config';

// The testkit's own tests run under its guard, from source (backends use '@locksmith/testkit/guard').
export default defineProject({ test: { name: 'testkit', setupFiles: ['./src/guard.ts'] } });
