import type { CaseContext } from './conformance-context.ts';
import type { ConformanceOptions } from './conformance-options.ts';

/** One conformance case; `runConformance` registers each as its own `it`. */
export interface ConformanceCase {
  /** The case's name, as the `it` title (e.g. `mutual exclusion under concurrency`). */
  readonly title: string;
  /** The case's vitest timeout, from the options (TTLs) and `LOCKSMITH_TIME_SCALE`. */
  timeoutMs(options: ConformanceOptions): number;
  /** `skip(reason)` marks the case skipped, visibly, and stops it. */
  run(c: CaseContext, skip: (reason: string) => never): Promise<void>;
}
