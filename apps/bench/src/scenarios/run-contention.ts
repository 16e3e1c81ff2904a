import type { BenchAdapter } from '../adapters/adapter.ts';
import { round } from '../histogram.ts';
import { type Acquisition, analyseHandoffs, jainIndex, percentile } from '../stats.ts';
import { assign, failed, type Measured, type ScenarioContext } from './scenario.ts';
import { timedWindow } from './timed-window.ts';

export interface ContentionRun {
  readonly workers: number;
  readonly csMs: number;
  readonly thinkMs: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly ttlMs: number;
}

/**
 * Every worker on one key: acquire, hold `csMs`, release, think `thinkMs`. From the acquisitions
 * of all workers on the shared clock: throughput, acquire-wait, hand-off latency, fairness and the
 * servers' commands per acquisition.
 */
export async function runContention(
  ctx: ScenarioContext,
  adapter: BenchAdapter,
  run: ContentionRun,
): Promise<Measured> {
  const timing = timedWindow({
    epoch: ctx.epoch,
    workers: run.workers,
    warmupMs: run.warmupMs,
    durationMs: run.durationMs,
    counters: ctx.countersFor(adapter),
  });
  const drainMs = 10_000;
  const outcomes = await ctx.pool.run(
    assign(
      adapter,
      ctx,
      run.workers,
      'contend',
      { ttlMs: run.ttlMs, csMs: run.csMs, thinkMs: run.thinkMs },
      drainMs,
    ),
    (call) => (call.name === 'ready' ? timing.ready() : undefined),
    run.warmupMs + run.durationMs + drainMs + 30_000,
  );
  const bad = outcomes.find((o) => !o.ok);
  if (bad !== undefined && !bad.ok) return failed(bad.error);
  const results = outcomes.flatMap((o) => (o.ok ? o.results : []));
  const { measureFrom, stopAt } = timing.window;
  const acquisitions: Acquisition[] = [];
  const perWorker = new Map<number, number>();
  for (const r of results) {
    perWorker.set(r.worker, 0);
    const e = r.events ?? new Float64Array();
    for (let i = 0; i + 2 < e.length; i += 3) {
      acquisitions.push({
        worker: r.worker,
        requestedAt: e[i]!,
        acquiredAt: e[i + 1]!,
        releasedAt: e[i + 2]!,
      });
      perWorker.set(r.worker, perWorker.get(r.worker)! + 1);
    }
  }
  const inWindow = acquisitions.filter((a) => a.acquiredAt >= measureFrom && a.acquiredAt < stopAt).length;
  const waitsUs = acquisitions.map((a) => (a.acquiredAt - a.requestedAt) / 1e3);
  const { handoffsNs, overlaps } = analyseHandoffs(acquisitions);
  const handoffsUs = handoffsNs.map((ns) => ns / 1e3);
  const shares = [...perWorker.values()];
  const meanShare = shares.reduce((a, b) => a + b, 0) / Math.max(1, shares.length);
  const delta = await timing.counters();
  const errors = results.reduce((n, r) => n + r.errors, 0);
  const firstError = results.find((r) => r.firstError !== null)?.firstError ?? null;
  const q = (values: number[], p: number) => (values.length === 0 ? null : round(percentile(values, p), 1));
  return {
    status: 'ok',
    reason: errors > 0 ? `${errors} errors, first: ${firstError}` : null,
    metrics: {
      workers: run.workers,
      acquisitions: acquisitions.length,
      acquisitionsPerSec: round(inWindow / ((stopAt - measureFrom) / 1e9), 1),
      waitP50Us: q(waitsUs, 50),
      waitP99Us: q(waitsUs, 99),
      waitMaxUs: q(waitsUs, 100),
      longestWaitMs: waitsUs.length === 0 ? null : round(percentile(waitsUs, 100) / 1e3, 2),
      handoffs: handoffsUs.length,
      handoffP50Us: q(handoffsUs, 50),
      handoffP99Us: q(handoffsUs, 99),
      jain: shares.length > 1 && meanShare > 0 ? round(jainIndex(shares), 4) : null,
      minShare: shares.length > 1 && meanShare > 0 ? round(Math.min(...shares) / meanShare, 3) : null,
      commandsPerAcquisition:
        delta === undefined || inWindow === 0 ? null : round(delta.commands / inWindow, 2),
      roundTripsPerAcquisition:
        delta === undefined || inWindow === 0 ? null : round(delta.reads / inWindow, 2),
      overlaps,
      errors,
    },
    curve:
      waitsUs.length === 0
        ? null
        : [50, 75, 90, 95, 99, 99.9, 100].map((p) => [p, round(percentile(waitsUs, p), 1)] as const),
  };
}
