import type { UserConfig } from 'tsdown';

/** Shared build settings: every published package spreads this in its own tsdown.config.ts. */
export const baseConfig: UserConfig = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  publint: true,
  inputOptions: { checks: { pluginTimings: false } },
};
