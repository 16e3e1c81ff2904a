import { formatMetric, METRICS, type MetricInfo } from '../results/metrics.ts';
import type { BenchResults, MechanismInfo } from '../results/schema.ts';
import { separated } from '../spread.ts';
import { roundsOf } from './cells.ts';
import { Lookup } from './lookup.ts';

interface Criterion {
  readonly scenario: string;
  readonly metric: string;
  /** Which variant; the last one (the largest) when `last`, else the first. */
  readonly variant?: 'last';
  readonly what: string;
}

/** A criterion on the largest variant of a scenario (the most workers or leases). */
const atLargest = (scenario: string, metric: string, what: string): Criterion => ({
  scenario,
  metric,
  variant: 'last',
  what,
});

const CRITERIA: readonly Criterion[] = [
  { scenario: 'uncontended', metric: 'p50Us', what: 'lowest uncontended acquire+release latency (p50)' },
  { scenario: 'uncontended', metric: 'p999Us', what: 'lowest uncontended tail (p99.9)' },
  { scenario: 'handoff', metric: 'handoffP50Us', what: 'fastest hand-off (p50, 8 workers)' },
  { scenario: 'handoff', metric: 'waitP99Us', what: 'shortest acquire-wait tail (p99, 8 workers)' },
  { scenario: 'handoff', metric: 'acquisitionsPerSec', what: 'most acquisitions per second with 8 workers' },
  atLargest('contended', 'acquisitionsPerSec', 'most acquisitions per second at the largest worker count'),
  { scenario: 'fairness', metric: 'jain', what: 'fairest shares in a tight loop (Jain’s index)' },
  { scenario: 'many-keys', metric: 'opsPerSec', what: 'most operations per second on 1,000 keys' },
  atLargest('held-leases', 'cpuPercent', 'lowest CPU to keep the most leases alive'),
  // Recovery is not ranked: it is the TTL minus a settle time, the same setting for every row.
];

const better = (metric: string) =>
  ((METRICS as Record<string, MetricInfo>)[metric]?.better ?? 'lower') === 'higher' ? -1 : 1;

/** At most this many names in a "within the spread" list; the rest are counted. */
const MAX_TIED_NAMED = 4;

/** `a`, `a and b`, `a, b and c`. */
export const listed = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/** A mechanism that works between processes: a lock other processes see (not a floor). */
export const crossProcess = (m: MechanismInfo) => m.kind !== 'floor' && m.scope !== 'process';

/**
 * Sentences on who wins what, among the mechanisms that work between processes (an in-process
 * lock answers another question, and would win every line): per criterion the best one, called
 * the winner only when its rounds and the runner-up's do not overlap; otherwise the leaders are
 * named as within the spread. First a sentence on what is ranked and what is not.
 */
export function findings(results: BenchResults): string[] {
  const look = new Lookup(results);
  const contenders = look.ran.filter(crossProcess);
  const out: string[] = [];
  const machine = contenders.filter((m) => m.scope === 'machine').map((m) => m.name);
  const inProcess = look.ran.filter((m) => m.kind !== 'floor' && m.scope === 'process').map((m) => m.name);
  if (contenders.length > 0) {
    out.push(
      `Ranked: the ${contenders.length} mechanisms that work between processes${machine.length > 0 ? ` (${machine.join(', ')} only between processes of one machine)` : ''}.` +
        (inProcess.length > 0
          ? ` Not ranked: ${inProcess.join(', ')}, which ${inProcess.length === 1 ? 'works' : 'work'} inside one process only (compared with ${inProcess.length === 1 ? 'its' : 'their'} floor under “Per backend”), and the floors, which are baselines.`
          : ' Not ranked: the floors, which are baselines.'),
    );
  }
  const named = (m: MechanismInfo) => `**${m.name}**${m.scope === 'machine' ? ' (one machine)' : ''}`;
  for (const c of CRITERIA) {
    const variants = look.variants(c.scenario);
    const variant = c.variant === 'last' ? variants.at(-1) : variants[0];
    if (variant === undefined) continue;
    const where = variant === '' ? c.scenario : `${c.scenario}, ${variant}`;
    const ranked = contenders
      .map((m) => ({ m, v: look.metric(m.name, c.scenario, c.metric, variant) }))
      .filter((x): x is { m: MechanismInfo; v: number } => x.v !== null)
      .sort((a, b) => better(c.metric) * (a.v - b.v));
    const [first, second] = ranked;
    if (first === undefined) continue;
    const shown = (x: { m: MechanismInfo; v: number }) => `${named(x.m)}, ${formatMetric(c.metric, x.v)}`;
    const head = `The ${c.what} (${where}):`;
    if (second === undefined) {
      out.push(`${head} ${shown(first)} (the only one measured).`);
      continue;
    }
    const rounds = (x: { m: MechanismInfo }) => roundsOf(look.entry(x.m.name, c.scenario, variant), c.metric);
    if (separated(rounds(first), rounds(second))) {
      out.push(
        `${head} ${shown(first)} (next: ${second.m.name}, ${formatMetric(c.metric, second.v)}; the rounds do not overlap).`,
      );
      continue;
    }
    const tied = ranked.filter((x) => x === first || !separated(rounds(first), rounds(x)));
    const names = tied.slice(0, MAX_TIED_NAMED).map(shown);
    const more = tied.length - names.length;
    out.push(
      `${head} no clear winner: ${listed(more > 0 ? [...names, `${more} more`] : names)} are within the spread of their rounds.`,
    );
  }
  return out;
}
