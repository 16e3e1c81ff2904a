// The mutual-exclusion safety checker (@locksmith/testkit) in both modes: worker processes with
// their own pools, and a holder frozen (SIGSTOP) past its TTL. In session mode the frozen holder's
// connection stays open (its kernel still answers TCP), so the server keeps its lock: nobody else
// gets in, and no write is stale. In lease mode its row expires by the server's clock, another
// process takes over, and the fence rejects the frozen holder's late write.
import { fileURLToPath } from 'node:url';
import { sleep } from '@locksmith/core/protocol';
import { checkSafetyAcrossProcesses } from '@locksmith/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { holderPid } from './lose-lease.ts';
import { connect, dropSchema, POSTGRES_URL, REQUIRED, skipFor, testPrefix } from './servers.ts';

const workerModule = fileURLToPath(new URL('./holder-client.ts', import.meta.url));
const prefix = testPrefix('safety');
const skip = await skipFor();
const admin = connect(2);
afterAll(async () => {
  if (!skip) await dropSchema(admin, prefix);
  await admin.end();
});

const env = (mode: string) => ({
  LOCKSMITH_TEST_PREFIX: prefix,
  LOCKSMITH_POSTGRES_URL: POSTGRES_URL,
  LOCKSMITH_POSTGRES_MODE: mode,
});

/**
 * Freezes the first holder to reach its write for 5 TTLs, once; `during` runs just before it
 * resumes (the holder is still frozen then), with the pid that held `key` before the freeze.
 */
function freezeOnce(ttlMs: number, during?: (pidBefore: number | undefined) => Promise<void>, key?: string) {
  let frozen = false;
  return async ({ child }: { child?: import('node:child_process').ChildProcess }) => {
    if (frozen || child === undefined) return;
    frozen = true;
    const before = key === undefined ? undefined : await holderPid(admin, prefix, key);
    child.kill('SIGSTOP');
    try {
      await sleep(ttlMs * 5);
      await during?.(before);
    } finally {
      child.kill('SIGCONT');
    }
  };
}

describe.skipIf(skip !== undefined && !REQUIRED)(
  `postgres: safety checker${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    for (const mode of ['session', 'lease']) {
      it(`${mode} mode: 4 worker processes × 30 increments: no overlap, no lost increment, no stale write`, async () => {
        if (skip) throw new Error(skip);
        const report = await checkSafetyAcrossProcesses({
          workerModule,
          exportName: 'createPostgres',
          env: env(mode),
          workers: 4,
          increments: 30,
        });
        expect(report).toMatchObject({
          counter: 120,
          acquisitions: 120,
          errors: 0,
          overlaps: 0,
          incrementsLost: 0,
          staleWritesAccepted: 0,
        });
      }, 120_000);
    }

    it('session mode: a holder frozen past its TTL keeps the lock while frozen (its connection lives); no stale write', async () => {
      if (skip) throw new Error(skip);
      const ttlMs = 400;
      const key = 'frozen-session';
      let heldWhileFrozen: [number | undefined, number | undefined] = [undefined, undefined];
      const report = await checkSafetyAcrossProcesses({
        workerModule,
        exportName: 'createPostgres',
        env: env('session'),
        workers: 3,
        increments: 6,
        key,
        ttlMs,
        autoRenew: false,
        fault: freezeOnce(
          ttlMs,
          async (pidBefore) => {
            heldWhileFrozen = [pidBefore, await holderPid(admin, prefix, key)];
          },
          key,
        ),
      });
      // Five TTLs into the freeze, the same server session still holds the lock: nobody got in.
      expect(heldWhileFrozen[0]).toBeDefined();
      expect(heldWhileFrozen[1]).toBe(heldWhileFrozen[0]);
      // On resume, the holder's lease reads expired and is unlocked while its code may still be
      // writing: a successor can then overlap it, and the fence rejects the late write.
      expect(report).toMatchObject({
        counter: 18,
        staleWritesAccepted: 0,
        incrementsLost: 0,
        workersKilled: 0,
      });
    }, 120_000);

    it('lease mode: a holder frozen past its TTL is taken over by the server clock; the fence rejects its late write', async () => {
      if (skip) throw new Error(skip);
      const ttlMs = 400;
      const report = await checkSafetyAcrossProcesses({
        workerModule,
        exportName: 'createPostgres',
        env: env('lease'),
        workers: 3,
        increments: 6,
        ttlMs,
        fault: freezeOnce(ttlMs),
      });
      expect(report.overlaps, 'the expiry lets a second holder in').toBeGreaterThan(0);
      expect(report.staleWritesRejected, 'the fence caught the frozen holder').toBeGreaterThan(0);
      expect(report).toMatchObject({ staleWritesAccepted: 0, incrementsLost: 0, workersKilled: 0 });
    }, 120_000);
  },
);
