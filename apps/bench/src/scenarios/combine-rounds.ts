import { round } from '../histogram.ts';
import { median } from '../stats.ts';
import type { Measured } from './scenario.ts';

/** Figures that are totals over the rounds rather than rates or latencies. */
const SUMMED = new Set(['samples', 'acquisitions', 'handoffs', 'errors', 'overlaps']);

/**
 * One entry from the rounds of a plan: the median of each figure over the rounds that succeeded
 * (totals are summed), the median curve, and the reasons of every round that said something.
 * All rounds failed: the first failure.
 */
export function combineRounds(rounds: readonly Measured[]): Measured {
  const ok = rounds.filter((r) => r.status === 'ok');
  if (ok.length === 0)
    return rounds[0] ?? { status: 'failed', reason: 'no round ran', metrics: {}, curve: null };
  if (rounds.length === 1) return rounds[0]!;
  const names = [...new Set(ok.flatMap((r) => Object.keys(r.metrics)))];
  const metrics: Record<string, number | null> = {};
  for (const name of names) {
    const values = ok
      .map((r) => r.metrics[name])
      .filter((v): v is number => typeof v === 'number' && !Number.isNaN(v));
    if (values.length === 0) metrics[name] = null;
    else if (SUMMED.has(name)) metrics[name] = values.reduce((a, b) => a + b, 0);
    else metrics[name] = round(median(values), 4);
  }
  metrics.rounds = ok.length;
  const curves = ok.map((r) => r.curve).filter((c): c is NonNullable<Measured['curve']> => c !== null);
  const curve =
    curves.length === 0
      ? null
      : curves[0]!.map(
          ([p], i) =>
            [
              p,
              round(median(curves.map((c) => c[i]?.[1] ?? Number.NaN).filter((v) => !Number.isNaN(v))), 2),
            ] as const,
        );
  const reasons = rounds
    .map((r, i) => (r.reason === null ? null : `round ${i + 1}: ${r.reason}`))
    .filter((r) => r !== null);
  return { status: 'ok', reason: reasons.length === 0 ? null : reasons.join('; '), metrics, curve };
}
