import { mkdir, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LockClient } from '@locksmith/core';
import { sleep } from '@locksmith/core/protocol';
import { type HolderProcess, scaled, spawnHolder } from '@locksmith/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileLocksWith } from '../src/file-locks.ts';
import { heldName, keyDirName } from '../src/file-names.ts';
import { resolveFileLocksOptions } from '../src/file-options.ts';
import { singleKernelFileSystem } from '../src/file-system-kind.ts';
import { hostClock } from '../src/host-clock.ts';
import { fileLocks } from '../src/index.ts';
import { tempLockDir } from './helpers.ts';

const module = fileURLToPath(new URL('./fixtures/client.ts', import.meta.url));
const HOUR = 3_600_000;
let dir: string;
let remove: () => Promise<void>;
let holder: HolderProcess | undefined;
const clients: LockClient[] = [];
beforeEach(async () => {
  ({ dir, remove } = await tempLockDir('locksmith-file-clock-'));
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await holder?.kill();
  holder = undefined;
  await remove();
});

function client(wallOffsetMs = 0): LockClient {
  const c = fileLocks({ dir, pollMs: 20, wallClock: { now: () => Date.now() + wallOffsetMs } });
  clients.push(c);
  return c;
}

function hold(ttlMs: number, autoRenew = true): Promise<HolderProcess> {
  return spawnHolder({ module, key: 'k', ttlMs, autoRenew, env: { LOCKSMITH_FILE_DIR: dir } });
}

/** Plants a state written by a process of another boot (another host of an NFS share, or before a reboot). */
async function plantForeign(wallMs: number, monoMs: number): Promise<void> {
  const keyDir = join(dir, keyDirName('k'));
  await mkdir(keyDir, { recursive: true });
  const name = heldName(5n, 'otherhost-1-00', 0, { wall: wallMs, boot: 'e'.repeat(32), mono: monoMs });
  await writeFile(join(keyDir, name), '');
}

describe('file: deadlines on one host do not depend on the wall clock (issue 8, bug 10)', () => {
  it('a forward wall-clock step does not hand a live holder’s lock to another process', async () => {
    holder = await hold(30_000);
    expect(await client(HOUR).tryAcquire('k')).toBeUndefined();
    expect(await client(-HOUR).tryAcquire('k')).toBeUndefined();
  });

  it(
    'a backward wall-clock step does not keep a dead holder’s lock',
    async () => {
      holder = await hold(300, false);
      await holder.kill('SIGKILL');
      const lease = await client(-HOUR).acquire('k', { waitMs: scaled(10_000) });
      expect(lease.token).toBeGreaterThan(holder.token);
      await lease.release();
    },
    scaled(30_000),
  );

  it('on a network file system, a state written on another host is judged by wall time', async () => {
    // Over NFS the writer's monotonic clock cannot be read from here: only wall time compares.
    const nfs = () => {
      const c = fileLocksWith(resolveFileLocksOptions({ dir, pollMs: 20 }), { singleKernel: false });
      clients.push(c);
      return c;
    };
    const mono = hostClock(Date).mono();
    await plantForeign(Date.now() + HOUR, 0); // long past on our monotonic clock
    expect(await nfs().tryAcquire('k')).toBeUndefined();
    await rm(join(dir, keyDirName('k')), { recursive: true });
    await plantForeign(Date.now() - 1, mono + HOUR); // far ahead on it
    const lease = await nfs().tryAcquire('k');
    expect(lease?.token).toBeGreaterThan(5n);
    await lease?.release();
  });

  it('on a local file system, a state written before a reboot has ended, whatever its wall deadline', async () => {
    expect(await singleKernelFileSystem(dir)).toBe(true); // the OS temp dir: ext4, tmpfs, overlayfs…
    await plantForeign(Date.now() + HOUR, Number.MAX_SAFE_INTEGER);
    const lease = await client().tryAcquire('k');
    expect(lease?.token).toBeGreaterThan(5n);
    await lease?.release();
  });
});

describe('file: tokens never go back (issue 8, bug 10)', () => {
  it('after the lock directory is deleted, the next token is still higher', async () => {
    holder = await hold(30_000);
    const first = holder.token;
    await holder.release();
    holder = undefined;
    await rm(dir, { recursive: true, force: true }); // a tmpfs wiped at reboot, an `rm -r`
    const lease = await client().acquire('k');
    expect(lease.token).toBeGreaterThan(first);
    await lease.release();
  });
});

describe('file: scratch directories of killed creators are removed (issue 8, bug 10)', () => {
  it(
    'an .init-* directory older than a minute goes; a fresh one stays',
    async () => {
      const old = join(dir, '.init-999999-0123456789abcdef');
      const fresh = join(dir, '.init-999998-0123456789abcdef');
      await mkdir(old);
      await writeFile(join(old, 't0.free'), '');
      const past = new Date(Date.now() - 120_000);
      await utimes(old, past, past);
      await mkdir(fresh);
      const lease = await client().acquire('other'); // an open client sweeps the directory
      await lease.release();
      const bound = Date.now() + scaled(10_000);
      while ((await readdir(dir)).includes('.init-999999-0123456789abcdef') && Date.now() < bound)
        await sleep(50);
      const entries = await readdir(dir);
      expect(entries).not.toContain('.init-999999-0123456789abcdef');
      expect(entries).toContain('.init-999998-0123456789abcdef');
    },
    scaled(30_000),
  );
});
