import { afterEach, describe, it } from 'vitest';
import type { ConformanceCase } from './conformance-case.ts';
import { basicCases } from './conformance-cases-basic.ts';
import { deadlineCases } from './conformance-cases-deadline.ts';
import { electionCases } from './conformance-cases-election.ts';
import { fifoCases } from './conformance-cases-fifo.ts';
import { inputCases } from './conformance-cases-input.ts';
import { leaseCases } from './conformance-cases-lease.ts';
import { lifecycleCases } from './conformance-cases-lifecycle.ts';
import { raceCases } from './conformance-cases-races.ts';
import { CaseContext } from './conformance-context.ts';
import { type ConformanceOptions, validateConformanceOptions } from './conformance-options.ts';

/** Every case, in the order the suite runs them. */
export const conformanceCases: readonly ConformanceCase[] = [
  ...basicCases,
  ...raceCases,
  ...fifoCases,
  ...leaseCases,
  ...deadlineCases,
  ...inputCases,
  ...lifecycleCases,
  ...electionCases,
];

/** Set to `1` (CI) to turn a skipped suite (`options.skip`) into a failing test. */
export const REQUIRE_BACKENDS_ENV = 'LOCKSMITH_REQUIRE_BACKENDS';

/**
 * Registers the locksmith conformance suite for one backend: a vitest `describe` with one `it`
 * per case (see the README for the list). Call it at the top level of the backend's
 * `test/conformance.test.ts`:
 *
 * @example
 * runConformance({
 *   name: 'memory',
 *   createClient: () => memoryLocks({ space }),
 *   faults: { loseLease: (lease) => space.forget(lease.key) },
 * });
 *
 * Cases that need a capability the backend does not declare (`fencing: 'strict'`, `wait: 'push'`)
 * or a process boundary it does not have (`holder`) are skipped with the reason; a case whose
 * fault hook is missing fails. Every client a case makes is closed after it.
 * @throws InvalidArgumentError (at registration) on a bad option, naming it.
 */
export function runConformance(options: ConformanceOptions): void {
  const o = validateConformanceOptions(options);
  const title = `${o.name}: locksmith conformance`;
  if (o.skip !== undefined) {
    if (process.env[REQUIRE_BACKENDS_ENV] === '1') {
      describe(title, () => {
        it(`backend is required (${REQUIRE_BACKENDS_ENV}=1) but skipped: ${o.skip}`, () => {
          throw new Error(`${o.name}: ${o.skip}`);
        });
      });
    } else {
      describe.skip(`${title} (skipped: ${o.skip})`, () => {
        for (const conformanceCase of conformanceCases) it(conformanceCase.title, () => undefined);
      });
    }
    return;
  }

  describe(title, () => {
    let current: CaseContext | undefined;
    afterEach(async () => {
      await current?.cleanup();
      current = undefined;
    });
    for (const conformanceCase of conformanceCases) {
      it(
        conformanceCase.title,
        async (test) => {
          const c = new CaseContext(o, conformanceCase.title);
          current = c;
          await conformanceCase.run(c, (reason) => test.skip(reason));
          if (!c.errorsExpected && c.seen.length > 0) {
            const list = c.seen.map((e) => `${e.key}: ${e.error.message}`).join('; ');
            throw new Error(
              `unexpected client 'error' events (a lease was lost or a release failed): ${list}`,
            );
          }
        },
        conformanceCase.timeoutMs(o),
      );
    }
  });
}
