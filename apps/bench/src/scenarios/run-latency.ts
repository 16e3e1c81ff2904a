import type { BenchAdapter } from '../adapters/adapter.ts';
import { LatencyHistogram, round } from '../histogram.ts';
import { assign, failed, type Measured, type ScenarioContext } from './scenario.ts';
import { timedWindow } from './timed-window.ts';

export interface LatencyRun {
  readonly workers: number;
  /** 1: each worker on its own key; more: a random key of this many per operation. */
  readonly keys: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly ttlMs: number;
}

/** Acquire+release in a loop on every worker; latency percentiles and total operations per second. */
export async function runLatency(
  ctx: ScenarioContext,
  adapter: BenchAdapter,
  run: LatencyRun,
): Promise<Measured> {
  const timing = timedWindow({
    epoch: ctx.epoch,
    workers: run.workers,
    warmupMs: run.warmupMs,
    durationMs: run.durationMs,
    counters: undefined,
  });
  const drainMs = 5_000;
  const outcomes = await ctx.pool.run(
    assign(adapter, ctx, run.workers, 'latency', { ttlMs: run.ttlMs, keys: run.keys }, drainMs),
    (call) => (call.name === 'ready' ? timing.ready() : undefined),
    run.warmupMs + run.durationMs + drainMs + 30_000,
  );
  const bad = outcomes.find((o) => !o.ok);
  if (bad !== undefined && !bad.ok) return failed(bad.error);
  const results = outcomes.flatMap((o) => (o.ok ? o.results : []));
  const total = LatencyHistogram.merge(results.map((r) => r.total!));
  const acquire = LatencyHistogram.merge(results.map((r) => r.acquire!));
  const s = total.summary();
  const errors = results.reduce((n, r) => n + r.errors, 0);
  const firstError = results.find((r) => r.firstError !== null)?.firstError ?? null;
  return {
    status: 'ok',
    reason: errors > 0 ? `${errors} errors, first: ${firstError}` : null,
    metrics: {
      opsPerSec: round(s.count / (run.durationMs / 1000), 1),
      meanUs: s.meanUs,
      p50Us: s.p50Us,
      p99Us: s.p99Us,
      p999Us: s.p999Us,
      maxUs: s.maxUs,
      acquireP50Us: acquire.summary().p50Us,
      samples: s.count,
      workers: run.workers,
      errors,
    },
    curve: s.curve,
  };
}
