// The fault suite orders events of different processes by process.hrtime.bigint(): on Linux that
// is CLOCK_MONOTONIC, one clock for the whole host. A child's reading taken between two of the
// parent's must fall between them.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe.skipIf(process.platform !== 'linux')('process.hrtime.bigint() across processes', () => {
  it('is one clock: a child reads a time between the parent readings before and after it ran', () => {
    for (let i = 0; i < 3; i += 1) {
      const before = process.hrtime.bigint();
      const child = BigInt(
        execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.hrtime.bigint()))'], {
          encoding: 'utf8',
        }),
      );
      const after = process.hrtime.bigint();
      expect(child > before && child < after, `${before} < ${child} < ${after}`).toBe(true);
    }
  });
});
