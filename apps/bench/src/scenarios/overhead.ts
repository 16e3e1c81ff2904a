import { Bench } from 'tinybench';
import type { BenchAdapter } from '../adapters/adapter.ts';
import { round } from '../histogram.ts';
import type { OverheadCheck } from '../results/schema.ts';
import { runLatency } from './run-latency.ts';
import { pick, type RunSettings, type ScenarioContext } from './scenario.ts';

/** The harness must not cost more than this factor on the cheapest real lock. */
export const OVERHEAD_LIMIT = 1.5;

/**
 * Is the harness the bottleneck? An in-process lock (`memory`, and `memory-floor`, the cheapest
 * lock there is) measured through the harness (worker process, adapter, shared-clock stamps, HDR
 * histogram) against the same adapter's acquire+release timed directly with tinybench in this
 * process. Passes when tinybench's operations per second are at most {@link OVERHEAD_LIMIT} times
 * the harness's.
 */
export async function checkOverhead(
  ctx: ScenarioContext,
  memory: BenchAdapter,
  settings: RunSettings,
): Promise<OverheadCheck> {
  const durationMs = pick(settings, { quick: 1_000, full: 3_000 });
  const harness = await runLatency(ctx, memory, {
    workers: 1,
    keys: 1,
    warmupMs: 250,
    durationMs,
    ttlMs: 10_000,
  });
  if (harness.status !== 'ok') throw new Error(`overhead check: the harness run failed: ${harness.reason}`);
  const harnessOpsPerSec = harness.metrics.opsPerSec!;

  const locker = await memory.open(ctx.env);
  const bench = new Bench({ time: durationMs, warmupTime: 250 });
  bench.add(`${memory.name} acquire+release`, async () => {
    const held = await locker.acquire('overhead', { ttlMs: 10_000, wait: true, keepAlive: false });
    await held?.release();
  });
  await bench.run();
  await locker.close();
  const result = bench.tasks[0]?.result;
  // Operations per second from the mean latency (ms), as the harness counts operations per second.
  if (result === undefined || !('latency' in result))
    throw new Error(`overhead check: tinybench did not finish (${result?.state})`);
  const tinybenchOpsPerSec = 1000 / result.latency.mean;
  const ratio = tinybenchOpsPerSec / harnessOpsPerSec;
  return {
    mechanism: memory.name,
    harnessOpsPerSec: round(harnessOpsPerSec, 0),
    tinybenchOpsPerSec: round(tinybenchOpsPerSec, 0),
    ratio: round(ratio, 3),
    limit: OVERHEAD_LIMIT,
    pass: ratio <= OVERHEAD_LIMIT,
  };
}
