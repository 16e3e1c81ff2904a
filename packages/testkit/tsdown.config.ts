import { defineConfig } from 'tsdown';
import { baseConfig } from '../../tsdown.base.ts';

// ESM: the suite, the guard (vitest setup file) and the three scripts run as child processes.
// CJS: only what works without vitest, which cannot be required (src/index-cjs.ts).
export default defineConfig([
  {
    ...baseConfig,
    entry: {
      index: 'src/index.ts',
      guard: 'src/guard.ts',
      holder: 'src/holder.ts',
      'safety-worker': 'src/safety-worker.ts',
      'fault-worker': 'src/faults/fault-worker.ts',
    },
    format: ['esm'],
  },
  { ...baseConfig, entry: { index: 'src/index-cjs.ts' }, format: ['cjs'], shims: true, clean: false },
]);
