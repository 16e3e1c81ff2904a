// The mutual-exclusion safety checker (@locksmith/testkit) on both variants: worker processes
// with their own connections, and in-process holders paused past their TTL to show the fence.
import { fileURLToPath } from 'node:url';
import { sleep } from '@locksmith/core/protocol';
import { checkSafety, checkSafetyAcrossProcesses } from '@locksmith/testkit';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisLocks } from '../src/index.ts';
import { connect, REDIS_URL, REDLOCK_URLS, REQUIRED, skipFor, testPrefix } from './servers.ts';

const workerModule = fileURLToPath(new URL('./holder-client.ts', import.meta.url));
const prefix = testPrefix('safety');
const opened: Redis[] = [];
afterAll(() => {
  for (const c of opened) c.disconnect();
});
const open = (url: string) => {
  const c = connect(url);
  opened.push(c);
  return c;
};

const variants = [
  {
    name: 'redis (single instance)',
    service: 'redis' as const,
    urls: [REDIS_URL],
    exportName: 'createSingle',
    strict: true,
  },
  {
    name: `redlock (${REDLOCK_URLS.length} instances)`,
    service: 'redlock' as const,
    urls: REDLOCK_URLS,
    exportName: 'createRedlock',
    strict: false,
  },
];

for (const variant of variants) {
  const skip = await skipFor(variant.service);
  const make = () =>
    variant.urls.length === 1
      ? redisLocks({ client: open(variant.urls[0] ?? ''), prefix })
      : redisLocks({ clients: variant.urls.map(open), prefix });

  describe.skipIf(skip !== undefined && !REQUIRED)(
    `${variant.name}: safety checker${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      it('4 worker processes × 40 increments: no overlap, no lost increment, no stale write', async () => {
        if (skip) throw new Error(skip);
        const report = await checkSafetyAcrossProcesses({
          workerModule,
          exportName: variant.exportName,
          env: {
            LOCKSMITH_TEST_PREFIX: prefix,
            LOCKSMITH_REDIS_URL: REDIS_URL,
            LOCKSMITH_REDLOCK_URLS: REDLOCK_URLS.join(','),
          },
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
          createClient: make,
          workers: 4,
          increments: 12,
          ttlMs: 60,
          autoRenew: false,
          // Every third holder stalls (a GC pause) well past its lease, so another takes the lock.
          fault: async ({ iteration }) => {
            if (iteration % 3 === 1) await sleep(150);
          },
        });
        expect(report.overlaps, 'the pause lets a second holder in').toBeGreaterThan(0);
        expect(report.staleWritesRejected, 'the fence caught the paused holders').toBeGreaterThan(0);
        expect(report.staleWritesAccepted).toBe(0);
        expect(report.incrementsLost).toBe(0);
      }, 120_000);
    },
  );
}
