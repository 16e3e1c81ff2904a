import { fileURLToPath } from 'node:url';
import { type LockClient, LockTimeoutError } from '@locksmith/core';
import { sleep } from '@locksmith/core/protocol';
import { type HolderProcess, scaled, spawnHolder } from '@locksmith/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileLocks } from '../src/index.ts';
import { tempLockDir } from './helpers.ts';

const module = fileURLToPath(new URL('./fixtures/client.ts', import.meta.url));
let dir: string;
let remove: () => Promise<void>;
let holder: HolderProcess | undefined;
const clients: LockClient[] = [];
beforeEach(async () => {
  ({ dir, remove } = await tempLockDir('locksmith-file-wait-'));
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await holder?.kill();
  holder = undefined;
  await remove();
});

function client(): LockClient {
  const c = fileLocks({ dir, pollMs: 20 });
  clients.push(c);
  return c;
}

/**
 * Which of `promise` is still pending `boundMs` after the call: a liveness bound, far above any
 * normal settle time (the bug left these pending until the holder released, i.e. forever here).
 */
async function pendingAfter(promise: Promise<unknown>, boundMs: number): Promise<boolean> {
  const settled = promise.then(
    () => false,
    () => false,
  );
  return Promise.race([settled, sleep(boundMs).then(() => true)]);
}

describe('file: a wait sees every abort (issue 8, bug 9)', () => {
  it(
    'waitMs: 1 and close() settle while another process holds the key',
    async () => {
      holder = await spawnHolder({ module, key: 'k', ttlMs: 30_000, env: { LOCKSMITH_FILE_DIR: dir } });
      const locks = client();
      const acquires = Array.from({ length: 5 }, () => locks.acquire('k', { waitMs: 1 }));
      const tried = locks.tryAcquire('k', { waitMs: 1 });
      const bound = scaled(5_000);
      const pending = await Promise.all([...acquires, tried].map((p) => pendingAfter(p, bound)));
      expect(pending).toEqual([false, false, false, false, false, false]);
      for (const p of acquires) await expect(p).rejects.toSatisfy(LockTimeoutError.isInstance);
      expect(await tried).toBeUndefined();

      const other = client();
      const waiting = Array.from({ length: 5 }, () => other.acquire('k'));
      for (const p of waiting) p.catch(() => undefined);
      await sleep(5);
      const closing = other.close();
      expect(await pendingAfter(closing, bound)).toBe(false);
      expect(await Promise.all(waiting.map((p) => pendingAfter(p, bound)))).toEqual([
        false,
        false,
        false,
        false,
        false,
      ]);
    },
    scaled(60_000),
  );

  it(
    '400 waits against a holder renewing every ~20 ms in another process all end after their waitMs',
    async () => {
      // ttl 60 ms: the holder's keeper renews every 20 ms, each renewal a rename that fs.watch reports.
      holder = await spawnHolder({ module, key: 'k', ttlMs: 60, env: { LOCKSMITH_FILE_DIR: dir } });
      const locks = [client(), client(), client(), client()];
      const bound = scaled(3_000);
      const waits = Array.from({ length: 400 }, (_, i) => {
        const waitMs = 20 + (i % 41);
        const acquire = locks[i % locks.length]!.acquire('k', { waitMs, ttlMs: 60_000 });
        // A wait may win the lock if the holder is starved of CPU past its TTL; give it straight back.
        const done = acquire.then(
          (lease) => lease.release(),
          () => undefined,
        );
        return pendingAfter(done, waitMs + bound);
      });
      const pending = (await Promise.all(waits)).filter(Boolean).length;
      expect(pending).toBe(0);
    },
    scaled(60_000),
  );
});
