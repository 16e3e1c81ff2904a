import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const vitestBin = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

/** Runs vitest in a child on the fixture folder `name` (its own vitest.config.ts) and returns exit code and output. */
export function runFixture(
  name: string,
  env: Record<string, string> = {},
): Promise<{ code: number; output: string }> {
  const root = fileURLToPath(new URL(`./fixtures/${name}/`, import.meta.url));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [vitestBin, 'run', '--root', root, '--reporter', 'verbose', '--color=false'],
      { env: { ...process.env, CI: 'true', NO_COLOR: '1', ...env } },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number((error as { code?: number }).code ?? 1) : 0,
          output: stdout + stderr,
        }),
    );
  });
}
