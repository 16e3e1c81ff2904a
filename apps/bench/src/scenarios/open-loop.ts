import { censoredPercentileNs, LatencyHistogram, round } from '../histogram.ts';
import type { WorkerResult } from '../worker/protocol.ts';
import {
  assign,
  failed,
  type HistogramFigures,
  pick,
  type Scenario,
  variantOf,
  warmupMs,
} from './scenario.ts';
import { timedWindow } from './timed-window.ts';

/** Waits one logical worker may have in flight; later arrivals queue in the worker (still timed). */
const IN_FLIGHT = 8;

/** How long after the window the backlog may still be served before the waits are stopped. */
const DRAIN_MS = 1_000;

/** Latency percentiles from arrival to grant; a wait still pending at the window's end is a lower bound. */
function openLoopFigures(h: Readonly<Record<string, LatencyHistogram>>): HistogramFigures {
  const lowerBounds: string[] = [];
  const at = (metric: string, p: number) => {
    if (h.wait!.count === 0) return null;
    const q = censoredPercentileNs(h.wait!, h.censored!, p);
    if (q.lowerBound) lowerBounds.push(metric);
    return round(q.ns / 1e3, 1);
  };
  return {
    metrics: {
      p50Us: at('p50Us', 50),
      p99Us: at('p99Us', 99),
      p999Us: at('p999Us', 99.9),
      maxUs: at('maxUs', 100),
    },
    lowerBounds,
    curve: null,
  };
}

/** `[arrivedAt, acquiredAt]` pairs of every worker. */
function arrivalsOf(results: readonly WorkerResult[]): [number, number][] {
  const out: [number, number][] = [];
  for (const r of results) {
    const e = r.events ?? new Float64Array();
    for (let i = 0; i + 1 < e.length; i += 2) out.push([e[i]!, e[i + 1]!]);
  }
  return out;
}

/**
 * Scenario 8: open loop, as wrk2 does. Requests arrive at random (Poisson) at a fixed offered rate
 * whatever the lock does; each acquires one key, holds it 1 ms and releases. Latency runs from the
 * arrival to the grant, so a lock that falls behind shows it instead of slowing the load down.
 * Rates go past every mechanism's saturation (1 ms held caps any lock near 1,000/s); the window
 * bounds the run: waits still pending at its end are counted and shown as lower bounds.
 */
export const openLoop: Scenario = {
  name: 'open-loop',
  title: 'Open-loop latency against offered load',
  description:
    'Requests arrive at random (Poisson) at a fixed offered rate, spread over 8 workers (worker processes, or one process for in-process locks), each request acquiring one key, holding it 1 ms and releasing; at most 8 waits in flight per worker, later arrivals queue in the worker. Acquire latency from the arrival to the grant (p50/p99, "> X" where waits still pending at the window’s end could be longer), achieved acquisitions/s and requests still pending at the end.',
  rounds: (s) => s.rounds ?? pick(s, { quick: 1, full: 3 }),
  plans(s) {
    const durationMs = s.durationMs ?? pick(s, { quick: 500, full: 800 });
    const workers = s.workers?.[0] ?? 8;
    return pick(s, { quick: [200, 500, 1_000], full: [100, 250, 500, 750, 1_000] }).map((rate) => ({
      variant: variantOf('rate', rate),
      estimateMs: warmupMs(s) + durationMs + 500,
      params: { offeredPerSec: rate, workers, csMs: 1, warmupMs: warmupMs(s), durationMs, ttlMs: 10_000 },
    }));
  },
  async run(ctx, adapter, plan) {
    const p = plan.params as {
      offeredPerSec: number;
      workers: number;
      csMs: number;
      warmupMs: number;
      durationMs: number;
      ttlMs: number;
    };
    const timing = timedWindow({
      epoch: ctx.epoch,
      workers: p.workers,
      warmupMs: p.warmupMs,
      durationMs: p.durationMs,
      counters: undefined,
    });
    const outcomes = await ctx.pool.run(
      assign(
        adapter,
        ctx,
        p.workers,
        'arrive',
        { ttlMs: p.ttlMs, csMs: p.csMs, ratePerSec: p.offeredPerSec / p.workers, inFlight: IN_FLIGHT },
        DRAIN_MS, // waits still pending this long after the window are stopped: the run stays bounded
      ),
      (call) => (call.name === 'ready' ? timing.ready() : undefined),
      p.warmupMs + p.durationMs + DRAIN_MS + 30_000,
    );
    const bad = outcomes.find((o) => !o.ok);
    if (bad !== undefined && !bad.ok) return failed(bad.error);
    const results = outcomes.flatMap((o) => (o.ok ? o.results : []));
    const { measureFrom, stopAt } = timing.window;
    const histograms = { wait: new LatencyHistogram(), censored: new LatencyHistogram() };
    const stoppedAt = stopAt + DRAIN_MS * 1e6;
    let arrivals = 0;
    let granted = 0;
    let pendingAtEnd = 0;
    let neverGranted = 0;
    for (const [arrivedAt, acquiredAt] of arrivalsOf(results)) {
      const wasGranted = Number.isFinite(acquiredAt);
      if (wasGranted && acquiredAt >= measureFrom && acquiredAt < stopAt) granted++;
      if (arrivedAt < measureFrom || arrivedAt >= stopAt) continue;
      arrivals++;
      if (!wasGranted || acquiredAt >= stopAt) pendingAtEnd++;
      if (wasGranted) histograms.wait.record(acquiredAt - arrivedAt);
      else {
        // Never granted: it waited at least until the run stopped it, a lower bound.
        neverGranted++;
        histograms.wait.record(stoppedAt - arrivedAt);
        histograms.censored.record(stoppedAt - arrivedAt);
      }
    }
    const figures = openLoopFigures(histograms);
    const errors = results.reduce((n, r) => n + r.errors, 0);
    const firstError = results.find((r) => r.firstError !== null)?.firstError ?? null;
    const seconds = (stopAt - measureFrom) / 1e9;
    return {
      status: 'ok',
      reason: errors > 0 ? `${errors} errors, first: ${firstError}` : null,
      metrics: {
        offeredPerSec: p.offeredPerSec,
        arrivalsPerSec: round(arrivals / seconds, 1),
        acquisitionsPerSec: round(granted / seconds, 1),
        ...figures.metrics,
        arrivals,
        pendingAtEnd,
        neverGranted,
        errors,
        ...(await timing.load()),
      },
      curve: null,
      lowerBounds: figures.lowerBounds,
      histograms,
      fromHistograms: openLoopFigures,
    };
  },
};
