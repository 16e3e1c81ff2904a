import { sleep } from '@locksmith/core/protocol';
import { checkSafety } from '@locksmith/testkit';
import { describe, expect, it } from 'vitest';
import { createMemorySpace, memoryLocks } from '../src/index.ts';

describe('memory: safety checker', () => {
  it('8 clients × 50 increments: no overlap, no lost increment, no stale write', async () => {
    const space = createMemorySpace();
    const report = await checkSafety({
      createClient: () => memoryLocks({ space }),
      workers: 8,
      increments: 50,
    });
    expect(report).toMatchObject({
      counter: 400,
      acquisitions: 400,
      errors: 0,
      overlaps: 0,
      incrementsLost: 0,
      staleWritesAccepted: 0,
      staleWritesRejected: 0,
    });
  });

  it('holders paused past their TTL overlap, and the fence rejects every stale write', async () => {
    const space = createMemorySpace();
    const report = await checkSafety({
      createClient: () => memoryLocks({ space }),
      workers: 4,
      increments: 10,
      ttlMs: 30,
      autoRenew: false,
      // Every third holder stalls (a GC pause, a slow disk) well past its lease.
      fault: async ({ iteration }) => {
        if (iteration % 3 === 1) await sleep(90);
      },
    });
    expect(report.overlaps).toBeGreaterThan(0);
    expect(report.staleWritesRejected).toBeGreaterThan(0);
    expect(report).toMatchObject({ staleWritesAccepted: 0, incrementsLost: 0 });
    expect(report.counter).toBe(report.writesAccepted);
  });
});
