/**
 * The locksmith conformance suite, mutual-exclusion safety checker and fault helpers, for vitest.
 *
 * @module @locksmith/testkit
 */
// Everything that works without vitest: the CommonJS entry, which names each export.

// And what needs vitest (it cannot be required), for ESM only.
export { conformanceCases, REQUIRE_BACKENDS_ENV, runConformance } from './conformance.ts';
export type { ConformanceCase } from './conformance-case.ts';
export type { CaseContext, SeenError } from './conformance-context.ts';
export * from './index-cjs.ts';
