import { sleep } from '@locksmith/core/protocol';
import { memoryFence } from '@locksmith/fencing';
import { describe, expect, it } from 'vitest';
import { checkSafety } from '../src/safety.ts';
import { scaled } from '../src/time-scale.ts';
import { noLock, queueLock } from './fixtures/toy-locks.ts';

describe('checkSafety', () => {
  it('reports a correct lock as clean', async () => {
    const report = await checkSafety({ createClient: () => queueLock(), workers: 4, increments: 25 });
    expect(report).toMatchObject({
      acquisitions: 100,
      counter: 100,
      writesAccepted: 100,
      incrementsLost: 0,
      overlaps: 0,
      maxConcurrent: 1,
      staleWritesAccepted: 0,
      staleWritesRejected: 0,
      errors: 0,
    });
  });

  it('catches a lock that excludes nothing: overlaps, and lost increments without a fence', async () => {
    const report = await checkSafety({
      createClient: () => noLock(),
      workers: 4,
      increments: 10,
      criticalMs: 2,
      fence: false,
    });
    expect(report.overlaps).toBeGreaterThan(0);
    expect(report.maxConcurrent).toBeGreaterThan(1);
    expect(report.incrementsLost).toBeGreaterThan(0);
    expect(report.staleWritesAccepted).toBeGreaterThan(0);
  });

  it('with the fence, stale writes of a broken lock are rejected and no increment is lost', async () => {
    const report = await checkSafety({
      createClient: () => noLock(),
      workers: 4,
      increments: 10,
      criticalMs: 2,
      fence: memoryFence(),
    });
    expect(report.overlaps).toBeGreaterThan(0);
    expect(report.staleWritesRejected + report.staleReadsRejected).toBeGreaterThan(0);
    expect(report.staleWritesAccepted).toBe(0);
    expect(report.incrementsLost).toBe(0);
  });

  it('runs the fault between read and write, with the holder’s lease', async () => {
    const steps: string[] = [];
    const report = await checkSafety({
      createClient: () => queueLock(),
      workers: 2,
      increments: 3,
      fault: async ({ worker, iteration, lease, token }) => {
        expect(lease?.held).toBe(true);
        expect(lease?.token).toBe(token);
        steps.push(`${worker}/${iteration}`);
        if (worker === 0 && iteration === 1) await sleep(scaled(20));
      },
    });
    expect(steps.sort()).toEqual(['0/0', '0/1', '0/2', '1/0', '1/1', '1/2']);
    expect(report.counter).toBe(6);
  });

  it('rejects bad options with InvalidArgumentError naming them, before making clients', async () => {
    let made = 0;
    const createClient = () => {
      made += 1;
      return queueLock();
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ workers: 0, increments: 1 }, 'options.workers'],
      [{ workers: 1.5, increments: 1 }, 'options.workers'],
      [{ workers: 1, increments: -1 }, 'options.increments'],
      [{ workers: 1, increments: 1, ttlMs: 0 }, 'options.ttlMs'],
      [{ workers: 1, increments: 1, key: '' }, 'options.key'],
      [{ workers: 1, increments: 1, fence: {} }, 'options.fence'],
      [{ workers: 1, increments: 1, fault: 'x' }, 'options.fault'],
      [{ workers: 1, increments: 1, criticalMs: -1 }, 'options.criticalMs'],
      [{ workers: 1, increments: 1, bogus: 1 }, 'options.bogus'],
    ];
    for (const [options, argument] of cases) {
      await expect(checkSafety({ createClient, ...options } as never)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        argument,
      });
    }
    await expect(checkSafety({ workers: 1, increments: 1 } as never)).rejects.toMatchObject({
      argument: 'options.createClient',
    });
    expect(made).toBe(0);
  });
});
