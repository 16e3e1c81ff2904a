import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scaled } from '../src/time-scale.ts';

const vitestBin = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const fixture = fileURLToPath(new URL('./fixtures/guard/', import.meta.url));

describe('@locksmith/testkit/guard', () => {
  it(
    'fails the test during which a rejection went unhandled or an exception uncaught, and only that test',
    async () => {
      const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
        execFile(
          process.execPath,
          [vitestBin, 'run', '--root', fixture, '--reporter', 'verbose', '--color=false'],
          { env: { ...process.env, CI: 'true', NO_COLOR: '1' } },
          (error, stdout, stderr) =>
            resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
        );
      });
      expect(code, output).toBe(1);
      expect(output).toContain('leaked on purpose');
      expect(output).toContain('thrown from a timer on purpose');
      expect(output).toContain('@locksmith/testkit/guard');
      expect(output).toMatch(/2 failed \| 1 passed/);
    },
    scaled(60_000),
  );
});
