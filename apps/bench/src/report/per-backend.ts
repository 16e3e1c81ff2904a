// Each backend on its own: what a user who has picked a server reads to choose a mechanism on it.
// Every mechanism against the backend's floor (the fewest round trips any lock there must make)
// and ranked among the other mechanisms on the same server.
import { formatMetric, METRICS, type MetricInfo } from '../results/metrics.ts';
import type { BenchResults, Entry, MechanismInfo } from '../results/schema.ts';
import { separated } from '../spread.ts';
import { roundsOf, SATURATED_MARK, saturated } from './cells.ts';
import { listed } from './findings.ts';
import { Lookup } from './lookup.ts';

interface Measure {
  /** Column header. */
  readonly label: string;
  /** The same in a sentence. */
  readonly what: string;
  readonly scenario: string;
  readonly metric: string;
  /** The scenario's last variant (most workers) instead of its first. */
  readonly last?: boolean;
  readonly vsFloor: boolean;
}

const MEASURES: readonly Measure[] = [
  {
    label: 'uncontended p50',
    what: 'uncontended p50',
    scenario: 'uncontended',
    metric: 'p50Us',
    vsFloor: true,
  },
  {
    label: 'acq/s, 8 workers',
    what: 'acquisitions/s with 8 workers',
    scenario: 'handoff',
    metric: 'acquisitionsPerSec',
    last: true,
    vsFloor: true,
  },
  {
    label: 'wait p99, 8 workers',
    what: 'acquire-wait p99 with 8 workers',
    scenario: 'handoff',
    metric: 'waitP99Us',
    last: true,
    vsFloor: false,
  },
];

const lowerIsBetter = (metric: string) =>
  ((METRICS as Record<string, MetricInfo>)[metric]?.better ?? 'lower') === 'lower';

/** One backend: its floor (if it ran) and the mechanisms on it, in the run's order. */
interface Group {
  readonly backend: string;
  readonly floor: MechanismInfo | undefined;
  readonly mechanisms: readonly MechanismInfo[];
}

function groups(look: Lookup): Group[] {
  const backends = [...new Set(look.ran.map((m) => m.backend))];
  return backends
    .map((backend) => ({
      backend,
      floor: look.ran.find((m) => m.backend === backend && m.kind === 'floor'),
      mechanisms: look.ran.filter((m) => m.backend === backend && m.kind !== 'floor'),
    }))
    .filter((g) => g.mechanisms.length > 0);
}

/** A figure of `m` for one measure, with the rounds it came from. */
function figure(look: Lookup, m: MechanismInfo, x: Measure) {
  const variant = x.last ? look.variants(x.scenario).at(-1) : undefined;
  return {
    entry: look.entry(m.name, x.scenario, variant),
    value: look.metric(m.name, x.scenario, x.metric, variant),
    rounds: roundsOf(look.entry(m.name, x.scenario, variant), x.metric),
  };
}

/**
 * Rank of each mechanism of a group in one measure: 1 + the number of others that are better and
 * whose rounds do not overlap its own. Mechanisms within each other's spread share a rank, so a
 * rank is never claimed on noise. `undefined` where the mechanism has no figure.
 */
export function ranks(look: Lookup, group: Group, x: Measure): Map<string, number> {
  const figures = group.mechanisms
    .map((m) => ({ m, ...figure(look, m, x) }))
    .filter((f): f is typeof f & { value: number } => f.value !== null);
  const lower = lowerIsBetter(x.metric);
  const out = new Map<string, number>();
  for (const f of figures) {
    const ahead = figures.filter(
      (o) => o !== f && (lower ? o.value < f.value : o.value > f.value) && separated(o.rounds, f.rounds),
    );
    out.set(f.m.name, 1 + ahead.length);
  }
  return out;
}

function ratio(look: Lookup, m: MechanismInfo, floor: MechanismInfo | undefined, x: Measure): number | null {
  const floorName = m.floor ?? floor?.name;
  if (floorName === undefined) return null;
  const own = figure(look, m, x).value;
  const base = look.metric(
    floorName,
    x.scenario,
    x.metric,
    x.last ? look.variants(x.scenario).at(-1) : undefined,
  );
  return own === null || base === null || base === 0 ? null : own / base;
}

/**
 * The per-backend table (header row first): each backend's floor, then its mechanisms, with each
 * measure's figure, its ratio to the floor and the mechanism's rank among those on the server
 * (`2/5`: second of five that were measured).
 */
export function perBackendCells(results: BenchResults): string[][] {
  const look = new Lookup(results);
  const head = ['backend', 'mechanism', 'kind'];
  for (const x of MEASURES) head.push(x.label, ...(x.vsFloor ? ['× floor'] : []), 'rank');
  const rows: string[][] = [];
  for (const g of groups(look)) {
    const rankOf = new Map(MEASURES.map((x) => [x.metric, ranks(look, g, x)]));
    for (const m of [...(g.floor ? [g.floor] : []), ...g.mechanisms]) {
      const row = [g.backend, m.name, m.kind];
      for (const x of MEASURES) {
        row.push(valueCell(figure(look, m, x).entry, x.metric));
        if (x.vsFloor) {
          const r = m.kind === 'floor' ? null : ratio(look, m, g.floor, x);
          row.push(r === null ? '–' : `${r.toFixed(2)}×`);
        }
        const rank = rankOf.get(x.metric)!;
        const own = rank.get(m.name);
        row.push(own === undefined ? '–' : `${own}/${rank.size}`);
      }
      rows.push(row);
    }
  }
  return [head, ...rows];
}

/**
 * A figure with its own unit (backends differ by orders of magnitude, so no column unit fits),
 * `>` when it is a lower bound and the saturation mark, as in the other tables.
 */
function valueCell(entry: Entry | undefined, metric: string): string {
  if (entry === undefined || entry.status !== 'ok') return '–';
  const value = entry.metrics[metric];
  if (value === null || value === undefined) return '–';
  const bound = entry.lowerBounds?.includes(metric) ? '> ' : '';
  return `${bound}${formatMetric(metric, value)}${saturated(entry) ? ` ${SATURATED_MARK}` : ''}`;
}

const ordinal = (n: number) => {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
};

/**
 * One sentence per locksmith mechanism, for a user who has picked its server: its ratios to the
 * backend's floor, and its rank among the mechanisms on the same server with the best one named.
 */
export function perBackendFindings(results: BenchResults): string[] {
  const look = new Lookup(results);
  const out: string[] = [];
  for (const g of groups(look)) {
    for (const m of g.mechanisms.filter((x) => x.kind === 'locksmith')) {
      const sentences: string[] = [];
      const floorName = m.floor ?? g.floor?.name;
      const vsFloor = MEASURES.filter((x) => x.vsFloor).flatMap((x) => {
        const r = ratio(look, m, g.floor, x);
        const own = figure(look, m, x).value;
        const base = floorName === undefined ? null : figure(look, { ...m, name: floorName }, x).value;
        if (r === null || own === null || base === null) return [];
        return [
          `${r.toFixed(2)}× in ${x.what} (${formatMetric(x.metric, own)} vs ${formatMetric(x.metric, base)})`,
        ];
      });
      if (vsFloor.length > 0) sentences.push(`against its floor (${floorName}): ${listed(vsFloor)}`);
      const placed = MEASURES.flatMap((x) => {
        const rank = ranks(look, g, x);
        const own = rank.get(m.name);
        if (own === undefined || rank.size < 2) return [];
        const best = [...rank].filter(([name, r]) => r === 1 && name !== m.name).map(([name]) => name);
        if (own === 1) return [`1st in ${x.what}${best.length > 0 ? `, tied with ${listed(best)}` : ''}`];
        return [`${ordinal(own)} in ${x.what} (best: ${listed(best)})`];
      });
      if (placed.length > 0)
        sentences.push(`among the ${g.mechanisms.length} mechanisms on ${g.backend}: ${placed.join('; ')}`);
      if (sentences.length > 0) out.push(`**${m.name}** ${sentences.join('. Ranked ')}.`);
    }
  }
  return out;
}

/** What the rank column means, for the line under the table. */
export const PER_BACKEND_NOTE =
  'Each backend: its floor, then every mechanism on the same server. “× floor” divides by that floor; “rank” is 1 + the mechanisms on the server that did better with rounds that do not overlap, so mechanisms within each other’s spread share a rank. Acquisitions and waits come from the hand-off scenario (8 workers).';
