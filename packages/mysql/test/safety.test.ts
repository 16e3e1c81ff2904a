// The mutual-exclusion safety checker (@locksmith/testkit) on MariaDB, in both modes: worker
// processes with their own pools, and in-process holders paused past their TTL to show the fence.
import { fileURLToPath } from 'node:url';
import { sleep } from '@locksmith/core/protocol';
import { checkSafety, checkSafetyAcrossProcesses } from '@locksmith/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { mysqlLocks } from '../src/index.ts';
import { connect, MYSQL_URL, REQUIRED, skipFor, testPrefix } from './servers.ts';

const workerModule = fileURLToPath(new URL('./holder-client.ts', import.meta.url));
const skip = await skipFor();
const pool = connect();
afterAll(() => pool.end());

describe.skipIf(skip !== undefined && !REQUIRED)(
  `mysql: safety checker${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    for (const mode of ['session', 'lease'] as const) {
      const prefix = testPrefix(`safety-${mode}`);
      it(`${mode}: 4 worker processes × 40 increments: no overlap, no lost increment, no stale write`, async () => {
        if (skip) throw new Error(skip);
        const report = await checkSafetyAcrossProcesses({
          workerModule,
          exportName: 'createMysql',
          env: { LOCKSMITH_TEST_PREFIX: prefix, LOCKSMITH_MYSQL_URL: MYSQL_URL, LOCKSMITH_MYSQL_MODE: mode },
          workers: 4,
          increments: 40,
        });
        expect(report).toMatchObject({
          counter: 160,
          acquisitions: 160,
          errors: 0,
          overlaps: 0,
          incrementsLost: 0,
          staleWritesAccepted: 0,
        });
      }, 120_000);

      it(`${mode}: holders paused past their TTL overlap, and the fence rejects every stale write`, async () => {
        if (skip) throw new Error(skip);
        const report = await checkSafety({
          createClient: () => mysqlLocks({ pool, prefix, mode }),
          workers: 3,
          increments: 6,
          ttlMs: 300,
          autoRenew: false,
          // Every third holder stalls (a GC pause) past its lease: its own client releases at the
          // local deadline (session mode) or the row expires (lease mode), so the next holder gets
          // in while the stalled one still works.
          fault: async ({ iteration }) => {
            if (iteration % 3 === 1) await sleep(700);
          },
        });
        expect(report.overlaps, 'the pause lets a second holder in').toBeGreaterThan(0);
        expect(report.staleWritesRejected, 'the fence caught the paused holders').toBeGreaterThan(0);
        expect(report.staleWritesAccepted).toBe(0);
        expect(report.incrementsLost).toBe(0);
      }, 120_000);
    }
  },
);
