import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileAdapter } from '../src/adapters/file.ts';
import { memoryFloorAdapter } from '../src/adapters/memory-floor.ts';
import { monotonicNs } from '../src/clock.ts';
import { WorkerPool } from '../src/pool.ts';
import { type ContentionRun, runContention } from '../src/scenarios/run-contention.ts';
import { type LatencyRun, runLatency } from '../src/scenarios/run-latency.ts';
import type { ScenarioContext } from '../src/scenarios/scenario.ts';

// End to end through real worker processes, on the mechanisms that need no server.
let ctx: ScenarioContext;
// Short windows: enough to check that every number is there, not to measure anything.
const latencyRun: LatencyRun = { workers: 1, keys: 1, warmupMs: 50, durationMs: 200, ttlMs: 1_000 };
const contentionRun: ContentionRun = {
  workers: 3,
  csMs: 1,
  thinkMs: 1,
  warmupMs: 300,
  durationMs: 1_000,
  ttlMs: 5_000,
};
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'locksmith-bench-harness-'));
  ctx = {
    pool: new WorkerPool(),
    env: { fileDir: dir, keyPrefix: 'test:' },
    epoch: monotonicNs(),
    countersFor: () => undefined,
  };
});

afterAll(async () => {
  await ctx.pool.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the harness', () => {
  it('measures acquire+release latency in a worker process', async () => {
    const m = await runLatency(ctx, memoryFloorAdapter, latencyRun);
    expect(m.status).toBe('ok');
    expect(m.metrics.samples).toBeGreaterThan(100);
    expect(m.metrics.p50Us).toBeGreaterThan(0);
    expect(m.metrics.p99Us).toBeGreaterThanOrEqual(m.metrics.p50Us!);
    expect(m.curve).toHaveLength(8);
  });

  it('sees every hand-off between processes contending for one file lock, with no overlap', async () => {
    const m = await runContention(ctx, fileAdapter, contentionRun);
    expect(m.status).toBe('ok');
    expect(m.metrics.overlaps).toBe(0);
    expect(m.metrics.acquisitions).toBeGreaterThan(10);
    expect(m.metrics.handoffs).toBeGreaterThan(0);
    expect(m.metrics.jain).toBeGreaterThan(0);
    expect(m.metrics.errors).toBe(0);
    expect(m.metrics.neverGranted).toBe(0);
    expect(m.metrics.waitP99Us).toBeGreaterThan(0);
  });
});
