import { type BenchAdapter, countsCommands } from '../adapters/adapter.ts';
import { censoredPercentileNs, LatencyHistogram, round } from '../histogram.ts';
import { analyseContention, jainIndex, type LockRequest } from '../stats.ts';
import type { WorkerResult } from '../worker/protocol.ts';
import { assign, failed, type HistogramFigures, type Measured, type ScenarioContext } from './scenario.ts';
import { timedWindow } from './timed-window.ts';

export interface ContentionRun {
  readonly workers: number;
  readonly csMs: number;
  readonly thinkMs: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly ttlMs: number;
}

/** Percentiles drawn for the wait curve. */
const WAIT_CURVE = [50, 75, 90, 95, 99, 99.9, 100] as const;

/**
 * Wait and hand-off figures from (merged) histograms: `wait` holds every wait that began in the
 * window, censored ones at the time waited so far; `censored` holds those alone; `handoff` the
 * hand-off gaps. A wait percentile that a censored wait could push up is a lower bound.
 */
export function contentionFigures(h: Readonly<Record<string, LatencyHistogram>>): HistogramFigures {
  const wait = h.wait!;
  const censored = h.censored!;
  const handoff = h.handoff!;
  const lowerBounds: string[] = [];
  const waitAt = (metric: string, p: number, scale = 1e3) => {
    if (wait.count === 0) return null;
    const q = censoredPercentileNs(wait, censored, p);
    if (q.lowerBound) lowerBounds.push(metric);
    return round(q.ns / scale, scale === 1e3 ? 1 : 2);
  };
  const hand = (p: number) => (handoff.count === 0 ? null : round(handoff.percentileNs(p) / 1e3, 1));
  const metrics = {
    waitP50Us: waitAt('waitP50Us', 50),
    waitP99Us: waitAt('waitP99Us', 99),
    waitMaxUs: waitAt('waitMaxUs', 100),
    longestWaitMs: waitAt('longestWaitMs', 100, 1e6),
    handoffP50Us: hand(50),
    handoffP99Us: hand(99),
  };
  return {
    metrics,
    lowerBounds,
    curve:
      wait.count === 0 ? null : WAIT_CURVE.map((p) => [p, round(wait.percentileNs(p) / 1e3, 1)] as const),
  };
}

/** The requests a contend task recorded, four numbers each. */
export function requestsOf(results: readonly WorkerResult[]): LockRequest[] {
  const out: LockRequest[] = [];
  for (const r of results) {
    const e = r.events ?? new Float64Array();
    for (let i = 0; i + 3 < e.length; i += 4)
      out.push({
        worker: r.worker,
        intendedAt: e[i]!,
        requestedAt: e[i + 1]!,
        acquiredAt: e[i + 2]!,
        releasedAt: e[i + 3]!,
      });
  }
  return out;
}

/**
 * Every worker on one key: acquire, hold `csMs`, release, think `thinkMs`. From every request of
 * all workers on the shared clock: throughput, acquire-wait (censored waits included as lower
 * bounds), hand-off latency, overlaps, fairness, the client's commands and round trips and the
 * servers' commands per acquisition, and the machine's idle CPU during the window.
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
  const requests = requestsOf(results);
  const a = analyseContention(requests, { measureFrom, stopAt, stoppedAt: stopAt + drainMs * 1e6 });
  const histograms = {
    wait: new LatencyHistogram(),
    censored: new LatencyHistogram(),
    handoff: new LatencyHistogram(),
  };
  for (const ns of a.waitsNs) histograms.wait.record(ns);
  for (const ns of a.censoredNs) {
    histograms.wait.record(ns);
    histograms.censored.record(ns);
  }
  for (const ns of a.handoffsNs) histograms.handoff.record(ns);
  const figures = contentionFigures(histograms);
  const shares = [...a.grantsByWorker.values()];
  const granted = shares.reduce((x, y) => x + y, 0);
  const meanShare = granted / Math.max(1, shares.length);
  const delta = await timing.counters();
  const sent = results.filter((r) => r.sent !== undefined);
  const perAcq = (pick: (s: { commands: number; writes: number }) => number) =>
    sent.length === 0 || granted === 0
      ? null
      : round(sent.reduce((n, r) => n + pick(r.sent!), 0) / granted, 2);
  const errors = results.reduce((n, r) => n + r.errors, 0);
  const firstError = results.find((r) => r.firstError !== null)?.firstError ?? null;
  return {
    status: 'ok',
    reason: errors > 0 ? `${errors} errors, first: ${firstError}` : null,
    metrics: {
      workers: run.workers,
      acquisitions: granted,
      acquisitionsPerSec: round(granted / ((stopAt - measureFrom) / 1e9), 1),
      ...figures.metrics,
      handoffs: a.handoffsNs.length,
      jain: shares.length > 1 && meanShare > 0 ? round(jainIndex(shares), 4) : null,
      minShare: shares.length > 1 && meanShare > 0 ? round(Math.min(...shares) / meanShare, 3) : null,
      commandsSentPerAcquisition: countsCommands(adapter) ? perAcq((s) => s.commands) : null,
      requestsPerAcquisition: countsCommands(adapter) ? perAcq((s) => s.writes) : null,
      commandsPerAcquisition:
        delta === undefined || granted === 0 ? null : round(delta.commands / granted, 2),
      roundTripsPerAcquisition: delta === undefined || granted === 0 ? null : round(delta.reads / granted, 2),
      pendingAtEnd: a.pendingAtEnd,
      neverGranted: a.censoredNs.length,
      beganInWarmup: a.beganInWarmup,
      overlaps: a.overlaps,
      errors,
      ...(await timing.load()),
    },
    curve: figures.curve,
    lowerBounds: figures.lowerBounds,
    histograms,
    fromHistograms: contentionFigures,
  };
}
