import { defineConfig } from 'tsdown';
import { baseConfig } from '../../tsdown.base.ts';

// guard: the vitest setup file; holder and safety-worker: scripts the testkit starts as child processes.
// ESM only: vitest 4 is ESM-only (`require('vitest')` throws), so a CJS build of the suite could never load.
export default defineConfig({
  ...baseConfig,
  entry: ['src/index.ts', 'src/guard.ts', 'src/holder.ts', 'src/safety-worker.ts'],
  format: ['esm'],
});
