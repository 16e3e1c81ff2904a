// The mutual-exclusion safety checker (@locksmith/testkit) on the 3-node ensemble: worker processes
// with their own sessions, and in-process holders paused past their TTL to show the fence.
import { fileURLToPath } from 'node:url';
import { sleep } from '@locksmith/core/protocol';
import { checkSafety, checkSafetyAcrossProcesses } from '@locksmith/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { zookeeperLocks } from '../src/index.ts';
import { connect, REQUIRED, skipFor, type TestZooKeeper, testPrefix, ZOOKEEPER_HOSTS } from './servers.ts';

const workerModule = fileURLToPath(new URL('./holder-client.ts', import.meta.url));
const prefix = testPrefix('safety');
const skip = await skipFor();
const clients: TestZooKeeper[] = [];
afterAll(() => {
  for (const c of clients) c.close();
});

describe.skipIf(skip !== undefined && !REQUIRED)(
  `zookeeper: safety checker${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it('4 worker processes × 40 increments: no overlap, no lost increment, no stale write', async () => {
      if (skip) throw new Error(skip);
      const report = await checkSafetyAcrossProcesses({
        workerModule,
        exportName: 'createZooKeeper',
        env: { LOCKSMITH_TEST_PREFIX: prefix, LOCKSMITH_ZOOKEEPER_HOSTS: ZOOKEEPER_HOSTS },
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

    it('holders paused past their TTL overlap, and the fence rejects every stale write', async () => {
      if (skip) throw new Error(skip);
      const report = await checkSafety({
        createClient: async () => {
          const client = await connect();
          clients.push(client);
          return zookeeperLocks({ client, prefix });
        },
        workers: 3,
        increments: 6,
        ttlMs: 300,
        autoRenew: false,
        // Every third holder stalls (a GC pause) past its lease; its own client then deletes its
        // node at the local deadline, so the next holder gets in while the stalled one still works.
        fault: async ({ iteration }) => {
          if (iteration % 3 === 1) await sleep(700);
        },
      });
      expect(report.overlaps, 'the pause lets a second holder in').toBeGreaterThan(0);
      expect(report.staleWritesRejected, 'the fence caught the paused holders').toBeGreaterThan(0);
      expect(report.staleWritesAccepted).toBe(0);
      expect(report.incrementsLost).toBe(0);
    }, 120_000);
  },
);
