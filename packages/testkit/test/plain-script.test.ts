import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const script = fileURLToPath(new URL('./fixtures/plain-script/safety-report.ts', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

it('checkSafety run from a plain node script finishes and prints its report (exit 0, not 13)', async () => {
  // Exit code 13 is Node's "unsettled top-level await": every pending timer was unref'd.
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', tsx, script], {
    timeout: 60_000,
  });
  // 3 workers × 15 increments.
  expect(JSON.parse(stdout.trim())).toEqual({ counter: 45, overlaps: 0 });
}, 90_000);
