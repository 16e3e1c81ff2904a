import { LatencyHistogram, round } from '../histogram.ts';
import type { Entry } from '../results/schema.ts';
import { median } from '../stats.ts';
import type { Measured } from './scenario.ts';

/** Figures that are totals over the rounds rather than rates or latencies. */
const SUMMED = new Set([
  'samples',
  'acquisitions',
  'handoffs',
  'errors',
  'overlaps',
  'neverGranted',
  'pendingAtEnd',
  'beganInWarmup',
  'arrivals',
]);

/** An entry's figures from its rounds, as results.json keeps them. */
export type Combined = Pick<Entry, 'status' | 'reason' | 'metrics' | 'curve' | 'perRound' | 'lowerBounds'>;

/**
 * One entry from the rounds of a plan. Every round's value of every figure is kept (`perRound`).
 * Percentiles come from the rounds' HDR histograms merged (so p50 and p99 of a row describe one
 * distribution); rates are the median of the rounds; totals are summed. All rounds failed: the
 * first failure.
 */
export function combineRounds(rounds: readonly Measured[]): Combined {
  const ok = rounds.filter((r) => r.status === 'ok');
  if (ok.length === 0)
    return strip(rounds[0] ?? { status: 'failed', reason: 'no round ran', metrics: {}, curve: null });
  if (rounds.length === 1) return strip(rounds[0]!);
  const names = [...new Set(ok.flatMap((r) => Object.keys(r.metrics)))];
  const metrics: Record<string, number | null> = {};
  const perRound: Record<string, (number | null)[]> = {};
  for (const name of names) {
    const each = ok.map((r) => {
      const v = r.metrics[name];
      return typeof v === 'number' && !Number.isNaN(v) ? v : null;
    });
    perRound[name] = each;
    const values = each.filter((v): v is number => v !== null);
    if (values.length === 0) metrics[name] = null;
    else if (SUMMED.has(name)) metrics[name] = values.reduce((a, b) => a + b, 0);
    else metrics[name] = round(median(values), 4);
  }
  metrics.rounds = ok.length;
  let curve = medianCurve(ok);
  let lowerBounds = [...new Set(ok.flatMap((r) => r.lowerBounds ?? []))];
  const figures = ok[0]!.fromHistograms;
  if (figures !== undefined && ok.every((r) => r.histograms !== undefined)) {
    const merged: Record<string, LatencyHistogram> = {};
    for (const key of Object.keys(ok[0]!.histograms!)) {
      merged[key] = new LatencyHistogram();
      for (const r of ok) {
        const h = r.histograms![key];
        if (h !== undefined) merged[key].add(h);
      }
    }
    const f = figures(merged);
    Object.assign(metrics, f.metrics);
    lowerBounds = [...f.lowerBounds];
    curve = f.curve;
  }
  const reasons = rounds
    .map((r, i) => (r.reason === null ? null : `round ${i + 1}: ${r.reason}`))
    .filter((r) => r !== null);
  return {
    status: 'ok',
    reason: reasons.length === 0 ? null : reasons.join('; '),
    metrics,
    curve,
    perRound,
    ...(lowerBounds.length === 0 ? {} : { lowerBounds }),
  };
}

/** The part of a round that goes into results.json. */
function strip(m: Measured): Combined {
  return {
    status: m.status,
    reason: m.reason,
    metrics: m.metrics,
    curve: m.curve,
    ...(m.lowerBounds === undefined || m.lowerBounds.length === 0 ? {} : { lowerBounds: m.lowerBounds }),
  };
}

function medianCurve(ok: readonly Measured[]): Entry['curve'] {
  const curves = ok.map((r) => r.curve).filter((c): c is NonNullable<Measured['curve']> => c !== null);
  if (curves.length === 0) return null;
  return curves[0]!.map(
    ([p], i) =>
      [
        p,
        round(median(curves.map((c) => c[i]?.[1] ?? Number.NaN).filter((v) => !Number.isNaN(v))), 2),
      ] as const,
  );
}
