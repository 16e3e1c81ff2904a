import { mkdir, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { delay } from '../clock.ts';
import type { BenchAdapter, Held } from './adapter.ts';
import { heldOnce } from './held-once.ts';

/** Retry delay of a waiter: 1–2 ms, jittered so waiters do not poll in step. */
const retryMs = () => 1 + Math.random();

/**
 * The floor of file-system locking: exclusive creation of a lock file (`open(..., 'wx')`), unlink to
 * release, and a waiter polling every 1–2 ms. No lease, token or renewal, so a killed holder's
 * file stays (no recovery).
 */
export const fileFloorAdapter: BenchAdapter = {
  name: 'file-floor',
  backend: 'file',
  kind: 'floor',
  summary:
    "open(path, 'wx') + unlink; waiters poll every 1–2 ms (no lease, no tokens; under contention a polling baseline)",
  pollsUnderContention: true,
  settings: { retryMs: '1–2' },
  requires: [],
  packages: [],
  scope: 'machine',
  noLease: true,
  async open(env) {
    const dir = join(env.fileDir, 'file-floor');
    await mkdir(dir, { recursive: true });
    const pathOf = (key: string) => join(dir, `${encodeURIComponent(key)}.lock`);
    const tryOnce = async (path: string): Promise<Held | undefined> => {
      try {
        await (await open(path, 'wx')).close();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
        throw error;
      }
      return heldOnce(
        () => false,
        () => unlink(path),
      );
    };
    return {
      async acquire(key, p) {
        const path = pathOf(key);
        for (;;) {
          const held = await tryOnce(path);
          if (held !== undefined || !p.wait) return held;
          p.signal?.throwIfAborted();
          await delay(retryMs());
        }
      },
      async close() {},
    };
  },
};
