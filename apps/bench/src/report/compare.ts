import { formatMetric, METRICS, type MetricInfo } from '../results/metrics.ts';
import type { BenchResults } from '../results/schema.ts';
import { rangeOf, separated } from '../spread.ts';
import { roundsOf } from './cells.ts';

/** One figure present in both runs. */
export interface ComparedFigure {
  readonly mechanism: string;
  readonly scenario: string;
  readonly variant: string;
  readonly metric: string;
  readonly before: number;
  readonly after: number;
  /** `after / before - 1`; `null` when `before` is 0. */
  readonly change: number | null;
  /**
   * Against the metric's direction. With several rounds on both sides a change is real only when
   * the rounds of the two runs do not overlap (`basis: 'spread'`); otherwise within `tolerance` is `same`.
   */
  readonly verdict: 'better' | 'worse' | 'same';
  readonly basis: 'spread' | 'tolerance';
}

export interface Comparison {
  readonly figures: readonly ComparedFigure[];
  /** Things that make the two runs hard to compare (another machine, mode, Node). */
  readonly caveats: readonly string[];
  /** Entries only one run has, as `mechanism/scenario/variant`. */
  readonly onlyBefore: readonly string[];
  readonly onlyAfter: readonly string[];
}

const keyOf = (e: { mechanism: string; scenario: string; variant: string }) =>
  `${e.mechanism}/${e.scenario}${e.variant === '' ? '' : `/${e.variant}`}`;

/**
 * The change of every comparable figure from run `a` (before) to run `b` (after). Parameters
 * echoed as figures (`workers`, `ttlMs`…) and counts without a direction are left out.
 */
export function compareResults(a: BenchResults, b: BenchResults, tolerance = 0.05): Comparison {
  const caveats: string[] = [];
  if (a.machine.cpuModel !== b.machine.cpuModel || a.machine.cpus !== b.machine.cpus) {
    caveats.push(
      `different machines: ${a.machine.cpus} × ${a.machine.cpuModel} vs ${b.machine.cpus} × ${b.machine.cpuModel}`,
    );
  }
  if (a.mode !== b.mode) caveats.push(`different modes: ${a.mode} vs ${b.mode} (durations differ)`);
  if (a.versions.node !== b.versions.node)
    caveats.push(`different Node versions: ${a.versions.node} vs ${b.versions.node}`);
  const before = new Map(a.entries.filter((e) => e.status === 'ok').map((e) => [keyOf(e), e]));
  const after = new Map(b.entries.filter((e) => e.status === 'ok').map((e) => [keyOf(e), e]));
  const figures: ComparedFigure[] = [];
  for (const [key, eb] of after) {
    const ea = before.get(key);
    if (ea === undefined) continue;
    for (const [metric, vb] of Object.entries(eb.metrics)) {
      const info = (METRICS as Record<string, MetricInfo>)[metric];
      const va = ea.metrics[metric];
      if (info === undefined || info.better === 'none' || va === undefined || va === null || vb === null)
        continue;
      const change = va === 0 ? null : vb / va - 1;
      const improved = info.better === 'lower' ? vb < va : vb > va;
      const ra = roundsOf(ea, metric);
      const rb = roundsOf(eb, metric);
      const basis = rangeOf(ra) !== null && rangeOf(rb) !== null ? 'spread' : 'tolerance';
      const real =
        basis === 'spread' ? separated(ra, rb) : !(change !== null && Math.abs(change) <= tolerance);
      const verdict = !real || va === vb ? 'same' : improved ? 'better' : 'worse';
      figures.push({
        mechanism: eb.mechanism,
        scenario: eb.scenario,
        variant: eb.variant,
        metric,
        before: va,
        after: vb,
        change,
        verdict,
        basis,
      });
    }
  }
  return {
    figures,
    caveats,
    onlyBefore: [...before.keys()].filter((k) => !after.has(k)),
    onlyAfter: [...after.keys()].filter((k) => !before.has(k)),
  };
}

/** The comparison as text: caveats, then one line per figure that changed beyond the tolerance. */
export function formatComparison(
  c: Comparison,
  a: BenchResults,
  b: BenchResults,
  all = false,
  tolerance = 0.05,
): string {
  const lines = [`compare ${a.id} → ${b.id}`];
  for (const caveat of c.caveats) lines.push(`! ${caveat}`);
  const shown = all ? c.figures : c.figures.filter((f) => f.verdict !== 'same');
  const rows = shown.map((f) => [
    `${f.mechanism}`,
    `${f.scenario}${f.variant === '' ? '' : ` ${f.variant}`}`,
    f.metric,
    formatMetric(f.metric, f.before),
    formatMetric(f.metric, f.after),
    f.change === null ? '–' : `${f.change >= 0 ? '+' : ''}${(f.change * 100).toFixed(1)}%`,
    f.verdict,
  ]);
  if (rows.length === 0)
    lines.push(
      `no figure changed beyond the spread of its rounds (or ±${Math.round(tolerance * 100)}% where a run had one round; ${c.figures.length} compared)`,
    );
  else {
    const head = ['mechanism', 'scenario', 'figure', 'before', 'after', 'change', ''];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const fmt = (r: string[]) =>
      r.map((x, i) => (i >= 3 && i <= 5 ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join('  ');
    lines.push(fmt(head), ...rows.map(fmt));
    const better = shown.filter((f) => f.verdict === 'better').length;
    lines.push(
      `${better} better, ${shown.length - better} worse, ${c.figures.length - shown.length} within the spread of their rounds (of ${c.figures.length} compared; a change is real when the rounds of the two runs do not overlap, or beyond ±${Math.round(tolerance * 100)}% where a run had one round)`,
    );
  }
  if (c.onlyBefore.length > 0) lines.push(`only in ${a.id}: ${c.onlyBefore.join(', ')}`);
  if (c.onlyAfter.length > 0) lines.push(`only in ${b.id}: ${c.onlyAfter.join(', ')}`);
  return lines.join('\n');
}
