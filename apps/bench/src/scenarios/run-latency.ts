import { type BenchAdapter, countsCommands } from '../adapters/adapter.ts';
import { CURVE_PERCENTILES, LatencyHistogram, round } from '../histogram.ts';
import { assign, failed, type HistogramFigures, type Measured, type ScenarioContext } from './scenario.ts';
import { timedWindow } from './timed-window.ts';

export interface LatencyRun {
  readonly workers: number;
  /** 1: each worker on its own key; more: a random key of this many per operation. */
  readonly keys: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly ttlMs: number;
}

/** Percentiles of acquire+release (`total`) and acquire alone, from (merged) histograms. */
function latencyFigures(h: Readonly<Record<string, LatencyHistogram>>): HistogramFigures {
  const s = h.total!.summary();
  return {
    metrics: {
      meanUs: s.meanUs,
      p50Us: s.p50Us,
      p99Us: s.p99Us,
      p999Us: s.p999Us,
      maxUs: s.maxUs,
      acquireP50Us: h.acquire!.summary().p50Us,
    },
    lowerBounds: [],
    curve: CURVE_PERCENTILES.map((p) => [p, round(h.total!.percentileNs(p) / 1e3, 2)] as const),
  };
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
  const histograms = {
    total: LatencyHistogram.merge(results.map((r) => r.total!)),
    acquire: LatencyHistogram.merge(results.map((r) => r.acquire!)),
  };
  const figures = latencyFigures(histograms);
  const count = histograms.total.count;
  const sent = results.filter((r) => r.sent !== undefined);
  const perOp = (pick: (s: { commands: number; writes: number }) => number) =>
    sent.length === 0 || count === 0 ? null : round(sent.reduce((n, r) => n + pick(r.sent!), 0) / count, 2);
  const errors = results.reduce((n, r) => n + r.errors, 0);
  const firstError = results.find((r) => r.firstError !== null)?.firstError ?? null;
  const load = await timing.load();
  return {
    status: 'ok',
    reason: errors > 0 ? `${errors} errors, first: ${firstError}` : null,
    metrics: {
      opsPerSec: round(count / (run.durationMs / 1000), 1),
      ...figures.metrics,
      commandsSentPerOp: countsCommands(adapter) ? perOp((s) => s.commands) : null,
      // Socket writes are counted on net.Socket: etcd3's HTTP/2 streams and files do not go through it.
      requestsPerOp: countsCommands(adapter) ? perOp((s) => s.writes) : null,
      samples: count,
      workers: run.workers,
      errors,
      ...load,
    },
    curve: figures.curve,
    histograms,
    fromHistograms: latencyFigures,
  };
}
