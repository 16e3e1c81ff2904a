import { describe, expect, it } from 'vitest';
import { scaled } from '../src/time-scale.ts';
import { runFixture } from './run-vitest.ts';

describe('@locksmith/testkit/guard', () => {
  it(
    'fails the test during which a rejection went unhandled or an exception uncaught, and only that test',
    async () => {
      const { code, output } = await runFixture('guard');
      expect(code, output).toBe(1);
      expect(output).toContain('leaked on purpose');
      expect(output).toContain('thrown from a timer on purpose');
      expect(output).toContain('@locksmith/testkit/guard');
      expect(output).toMatch(/2 failed \| 1 passed/);
    },
    scaled(60_000),
  );
});
