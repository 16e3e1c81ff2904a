import { defineConfig } from 'vitest/config';

// One run over every package, so CI reads a single summary.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', { test: { name: 'repo', include: ['test/**/*.test.ts'] } }],
  },
});
