import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LockClient } from '@locksmith/core';
import { sleep } from '@locksmith/core/protocol';
import { type HolderProcess, scaled, spawnHolder } from '@locksmith/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileLocksWith } from '../src/file-locks.ts';
import { resolveFileLocksOptions } from '../src/file-options.ts';
import { createKeyDir } from '../src/file-state.ts';
import { sweepLockDir } from '../src/file-sweep.ts';
import { hostClock, tokenFloor } from '../src/host-clock.ts';
import { fileLocks } from '../src/index.ts';
import { tempLockDir } from './helpers.ts';

const module = fileURLToPath(new URL('./fixtures/client.ts', import.meta.url));
let dir: string;
let remove: () => Promise<void>;
let holder: HolderProcess | undefined;
const clients: LockClient[] = [];
beforeEach(async () => {
  ({ dir, remove } = await tempLockDir('locksmith-file-sweep-'));
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await holder?.kill();
  holder = undefined;
  await remove();
});

/** Polls until `dir` is empty or `boundMs` passed; resolves what is left. */
async function leftAfter(boundMs: number): Promise<string[]> {
  const end = performance.now() + boundMs;
  for (;;) {
    const left = await readdir(dir);
    if (left.length === 0 || performance.now() > end) return left;
    await sleep(100);
  }
}

describe('file: keys leave nothing behind (issue 8, bug 7)', () => {
  it(
    'released and expired keys are removed from the directory',
    async () => {
      const locks = fileLocks({ dir, pollMs: 20 });
      clients.push(locks);
      for (let i = 0; i < 200; i += 1) await (await locks.acquire(`invoice:${i}`)).release();
      // A holder in another process killed -9: its lease runs out after 300 ms.
      holder = await spawnHolder({ module, key: 'crashed', ttlMs: 300, env: { LOCKSMITH_FILE_DIR: dir } });
      await holder.kill('SIGKILL');
      const live = await locks.acquire('live', { ttlMs: 30_000 });
      expect(await leftAfter(scaled(10_000))).toHaveLength(1); // only the live lease's key
      await live.release();
      expect(await leftAfter(scaled(10_000))).toEqual([]);
    },
    scaled(60_000),
  );

  it('a new key directory (token = wall µs) survives a sweep; an unused one of an earlier version goes', async () => {
    const host = hostClock(Date);
    await createKeyDir(dir, join(dir, 'k-fresh'), tokenFloor(host));
    await createKeyDir(dir, join(dir, 'k-old'), 5n); // earlier versions started keys at t0.free and counted up
    expect(await sweepLockDir(dir, host)).toBe(1);
    expect(await readdir(dir)).toEqual(['k-fresh']);
  });

  // A guard, not a proven regression: the window it aims at is too narrow to hit reliably.
  it(
    'a sweep never removes a key between its creation and its first acquisition',
    async () => {
      const host = hostClock(Date);
      const locks = fileLocks({ dir, pollMs: 5 });
      clients.push(locks);
      let running = true;
      const sweepers = Array.from({ length: 3 }, async () => {
        while (running) await sweepLockDir(dir, host);
      });
      const got = await Promise.all(Array.from({ length: 300 }, (_, i) => locks.tryAcquire(`fresh:${i}`)));
      running = false;
      await Promise.all(sweepers);
      expect(got.filter((lease) => lease === undefined)).toHaveLength(0);
      await Promise.all(got.map((lease) => lease?.release()));
    },
    scaled(60_000),
  );

  it(
    'removal racing acquirers and waiters: no overlap, tokens strictly increase',
    async () => {
      const host = hostClock(Date);
      // Sweeps as often as possible; 2 ms of token margin is the least that keeps tokens increasing
      // on one clock (tokens are wall ms × 1000 plus the acquisitions within that ms).
      const sweep = { tokenMarginMs: 2, scratchMaxAgeMs: 60_000, everyMs: { min: 0, max: 2 } };
      const locks = Array.from({ length: 6 }, () => {
        const c = fileLocksWith(resolveFileLocksOptions({ dir, pollMs: 5 }), { host, sweep });
        clients.push(c);
        return c;
      });
      let inside = 0;
      let overlaps = 0;
      const tokens: bigint[] = [];
      let removed = 0;
      let running = true;
      const sweeper = (async () => {
        while (running) {
          removed += await sweepLockDir(dir, host, sweep);
          await sleep(1);
        }
      })();
      await Promise.all(
        locks.map(async (c, w) => {
          for (let i = 0; i < 40; i += 1) {
            const lease = await c.acquire('hot', { waitMs: scaled(20_000) });
            inside += 1;
            if (inside > 1) overlaps += 1;
            tokens.push(lease.token);
            await sleep((i + w) % 3);
            inside -= 1;
            await lease.release();
            await sleep((i * w) % 4); // let the key go idle so sweeps remove it
          }
        }),
      );
      running = false;
      await sweeper;
      expect(overlaps).toBe(0);
      expect(tokens).toHaveLength(240);
      for (let i = 1; i < tokens.length; i += 1) expect(tokens[i]!).toBeGreaterThan(tokens[i - 1]!);
      expect(removed).toBeGreaterThan(0);
    },
    scaled(60_000),
  );
});
