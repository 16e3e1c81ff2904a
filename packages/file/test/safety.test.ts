import { fileURLToPath } from 'node:url';
import { sleep } from '@locksmith/core/protocol';
import { checkSafety, checkSafetyAcrossProcesses, scaled } from '@locksmith/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileLocks } from '../src/index.ts';
import { tempLockDir } from './helpers.ts';

const workerModule = fileURLToPath(new URL('./fixtures/client.ts', import.meta.url));
let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => {
  ({ dir, remove } = await tempLockDir('locksmith-file-safety-'));
});
afterEach(() => remove());

describe('file: safety checker', () => {
  it(
    '4 processes × 25 increments: no overlap, no lost increment, no stale write',
    async () => {
      const report = await checkSafetyAcrossProcesses({
        workerModule,
        env: { LOCKSMITH_FILE_DIR: dir },
        workers: 4,
        increments: 25,
      });
      expect(report).toMatchObject({
        counter: 100,
        acquisitions: 100,
        errors: 0,
        workersKilled: 0,
        overlaps: 0,
        incrementsLost: 0,
        staleWritesAccepted: 0,
      });
    },
    scaled(120_000),
  );

  it(
    'a process frozen (SIGSTOP) past its TTL is taken over; the fence rejects its late write',
    async () => {
      const ttlMs = 400;
      let frozen = false;
      const report = await checkSafetyAcrossProcesses({
        workerModule,
        env: { LOCKSMITH_FILE_DIR: dir },
        workers: 3,
        increments: 6,
        ttlMs,
        // The first holder to reach its write freezes for 5 TTLs (the others all still have work),
        // so its lease runs out, another process takes the lock over, and then it writes anyway.
        fault: async ({ child }) => {
          if (frozen || child === undefined) return;
          frozen = true;
          child.kill('SIGSTOP');
          await sleep(scaled(ttlMs * 5));
          child.kill('SIGCONT');
        },
      });
      expect(report.overlaps).toBeGreaterThan(0);
      expect(report.staleWritesRejected).toBeGreaterThan(0);
      expect(report).toMatchObject({ staleWritesAccepted: 0, incrementsLost: 0, workersKilled: 0 });
    },
    scaled(120_000),
  );

  it('8 clients in one process × 25 increments: no overlap', async () => {
    const report = await checkSafety({
      createClient: () => fileLocks({ dir, pollMs: 20 }),
      workers: 8,
      increments: 25,
    });
    expect(report).toMatchObject({
      counter: 200,
      errors: 0,
      overlaps: 0,
      incrementsLost: 0,
      staleWritesAccepted: 0,
    });
  });
});
