import { describe, expect, it } from 'vitest';
import { conformanceCases } from '../src/conformance.ts';
import { scaled } from '../src/time-scale.ts';
import { runFixture } from './run-vitest.ts';

describe('runConformance with options.skip', () => {
  it(
    'registers every case as skipped, with the reason in the title',
    async () => {
      const { code, output } = await runFixture('skip', { LOCKSMITH_REQUIRE_BACKENDS: '' });
      expect(code, output).toBe(0);
      expect(output).toContain(
        'unreachable: locksmith conformance (skipped: LOCKSMITH_UNREACHABLE_URL is not set)',
      );
      expect(output).toMatch(new RegExp(`${conformanceCases.length} skipped`));
    },
    scaled(60_000),
  );

  it(
    'fails instead when LOCKSMITH_REQUIRE_BACKENDS=1',
    async () => {
      const { code, output } = await runFixture('skip', { LOCKSMITH_REQUIRE_BACKENDS: '1' });
      expect(code, output).toBe(1);
      expect(output).toContain('LOCKSMITH_UNREACHABLE_URL is not set');
      expect(output).toMatch(/1 failed/);
    },
    scaled(60_000),
  );
});
