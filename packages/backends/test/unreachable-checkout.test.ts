// A checkout that other users cannot enter (a root home directory is 0700): as root the launcher
// runs PostgreSQL and MariaDB as their own system users, which could then not open a data
// directory under it ("Permission denied"). Each starts here, privately on a free port, from a
// backends directory inside a fresh 0700 directory, through the launcher's own driver: its data
// goes to /var/tmp (removed afterwards), and it serves.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { driver } from '../src/drivers.ts';
import { REPO_ROOT } from '../src/paths.ts';
import { reachableBy } from '../src/server-data-dir.ts';
import { isRoot, systemUser } from '../src/system-user.ts';

const run = promisify(execFile);
const REQUIRED = process.env.LOCKSMITH_REQUIRE_BACKENDS === '1';
const fixture = join(import.meta.dirname, 'fixtures', 'private-server.ts');
const home = mkdtempSync(join(tmpdir(), 'locksmith-home-'));
chmodSync(home, 0o700);
const relocated: string[] = [];
afterAll(() => {
  for (const dir of [home, ...relocated]) rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('reachableBy', () => {
  const nobody = systemUser('nobody');
  it.skipIf(nobody === undefined)('needs the execute bit that applies to the user on every directory', () => {
    const user = nobody as NonNullable<typeof nobody>;
    const inner = mkdtempSync(join(home, 'inner-'));
    chmodSync(inner, 0o755);
    expect(reachableBy(inner, user)).toBe(false); // home is 0700, owned by root
    chmodSync(home, 0o711);
    try {
      expect(reachableBy(inner, user)).toBe(true);
      chmodSync(inner, 0o750);
      expect(reachableBy(inner, user)).toBe(false);
    } finally {
      chmodSync(home, 0o700);
    }
  });
});

describe.each(['postgres', 'mysql'] as const)('%s from a checkout other users cannot enter', (service) => {
  // Only root hands the server to another user; without the server installed there is nothing to
  // run (a failure instead with LOCKSMITH_REQUIRE_BACKENDS=1, as in CI).
  const why = !isRoot() ? 'not root: the server runs as this user' : driver(service).requirements();
  const skip = !isRoot() || (why !== undefined && !REQUIRED);

  it.skipIf(skip)(`starts and serves${skip ? ` (skipped: ${why})` : ''}`, { timeout: 180_000 }, async () => {
    expect(why).toBeUndefined();
    const backendsDir = join(home, service, '.backends');
    expect(statSync(home).mode & 0o777).toBe(0o700);
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', fixture, service, String(await freePort())],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, LOCKSMITH_BACKENDS_DIR: backendsDir },
        timeout: 170_000,
      },
    );
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
      ok: boolean;
      error?: string;
      relocated?: string;
    };
    if (result.relocated !== undefined) relocated.push(dirname(result.relocated));
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.relocated).toMatch(/^\/var\/tmp\/locksmith-[0-9a-f]{12}\//);
  });
});
