import { fileURLToPath } from 'node:url';
import { memoryFence } from '@locksmith/fencing';
import { describe, expect, it } from 'vitest';
import { checkSafetyAcrossProcesses } from '../src/safety-processes.ts';
import { scaled } from '../src/time-scale.ts';

const workerModule = fileURLToPath(new URL('./fixtures/toy-locks.ts', import.meta.url));

describe('checkSafetyAcrossProcesses', () => {
  it(
    'sees the overlaps of a lock that excludes nothing, and the fence keeps every increment',
    async () => {
      const report = await checkSafetyAcrossProcesses({
        workerModule,
        workers: 3,
        increments: 15,
        criticalMs: 5,
        fence: memoryFence(),
      });
      expect(report.acquisitions).toBe(45);
      expect(report.overlaps, JSON.stringify(report)).toBeGreaterThan(0);
      expect(report.staleWritesAccepted).toBe(0);
      expect(report.incrementsLost).toBe(0);
      expect(report.workersKilled).toBe(0);
    },
    scaled(60_000),
  );

  it(
    'without the fence the same broken lock loses increments',
    async () => {
      const report = await checkSafetyAcrossProcesses({
        workerModule,
        workers: 3,
        increments: 15,
        criticalMs: 5,
        fence: false,
      });
      expect(report.incrementsLost, JSON.stringify(report)).toBeGreaterThan(0);
    },
    scaled(60_000),
  );

  it(
    'lets a fault kill a worker mid-section and counts it, without a false overlap afterwards',
    async () => {
      const report = await checkSafetyAcrossProcesses({
        workerModule,
        env: { TOY_LOCK: 'queue' }, // in-process per worker: one worker alone contends only with itself
        workers: 1,
        increments: 5,
        fault: ({ iteration, child }) => {
          if (iteration === 2) child?.kill('SIGKILL');
        },
      });
      expect(report.workersKilled).toBe(1);
      expect(report.overlaps).toBe(0);
      expect(report.acquisitions).toBe(0); // a killed worker never reports its own counts
      expect(report.counter).toBe(2);
    },
    scaled(60_000),
  );

  it(
    'rejects a worker that fails and bad options',
    async () => {
      await expect(
        checkSafetyAcrossProcesses({ workerModule, exportName: 'notAFunction', workers: 1, increments: 1 }),
      ).rejects.toThrow(/exited with code 1/);
      await expect(
        checkSafetyAcrossProcesses({ workerModule: '', workers: 1, increments: 1 }),
      ).rejects.toMatchObject({
        argument: 'options.workerModule',
      });
      await expect(
        checkSafetyAcrossProcesses({ workerModule, workers: 1, increments: 1, timeoutMs: 0 }),
      ).rejects.toMatchObject({
        argument: 'options.timeoutMs',
      });
    },
    scaled(60_000),
  );
});
