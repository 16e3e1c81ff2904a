import { defineConfig } from 'tsdown';
import { baseConfig } from '../../tsdown.base.ts';

// ESM: the suite, the guard (vitest setup file) and the two scripts run as child processes.
// CJS: only what works without vitest, which cannot be required (src/index-cjs.ts).
export default defineConfig([
  {
    ...baseConfig,
    entry: ['src/index.ts', 'src/guard.ts', 'src/holder.ts', 'src/safety-worker.ts'],
    format: ['esm'],
  },
  { ...baseConfig, entry: { index: 'src/index-cjs.ts' }, format: ['cjs'], shims: true, clean: false },
]);
