import { formatMetric, METRICS, type MetricInfo } from '../results/metrics.ts';
import type { BenchResults } from '../results/schema.ts';
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

const SCOPES = [
  { scope: 'process', name: 'in one process' },
  { scope: 'machine', name: 'on one machine' },
  { scope: 'network', name: 'over the network' },
] as const;

const better = (metric: string) =>
  ((METRICS as Record<string, MetricInfo>)[metric]?.better ?? 'lower') === 'higher' ? -1 : 1;

/**
 * Sentences on who wins what. Per criterion and per scope (in one process, on one machine, over
 * the network: a user picks within one) the best mechanism that is not a floor, called the
 * winner only when its rounds and the runner-up's do not overlap; otherwise the leaders are
 * named as within the spread. Then each locksmith mechanism against its floor and the best peer.
 */
export function findings(results: BenchResults): string[] {
  const look = new Lookup(results);
  const contenders = look.ran.filter((m) => m.kind !== 'floor');
  const out: string[] = [];
  for (const c of CRITERIA) {
    const variants = look.variants(c.scenario);
    const variant = c.variant === 'last' ? variants.at(-1) : variants[0];
    if (variant === undefined) continue;
    const where = variant === '' ? c.scenario : `${c.scenario}, ${variant}`;
    const parts: string[] = [];
    for (const { scope, name } of SCOPES) {
      const ranked = contenders
        .filter((m) => m.scope === scope)
        .map((m) => ({ m, v: look.metric(m.name, c.scenario, c.metric, variant) }))
        .filter((x): x is { m: (typeof contenders)[number]; v: number } => x.v !== null)
        .sort((a, b) => better(c.metric) * (a.v - b.v));
      const [first, second] = ranked;
      if (first === undefined) continue;
      const shown = (x: { m: { name: string }; v: number }) =>
        `**${x.m.name}**, ${formatMetric(c.metric, x.v)}`;
      if (second === undefined) {
        parts.push(`${name}: ${shown(first)} (alone in its scope)`);
        continue;
      }
      const rounds = (x: { m: { name: string } }) =>
        roundsOf(look.entry(x.m.name, c.scenario, variant), c.metric);
      if (separated(rounds(first), rounds(second)))
        parts.push(
          `${name}: ${shown(first)} (next: ${second.m.name}, ${formatMetric(c.metric, second.v)}; the rounds do not overlap)`,
        );
      else {
        const tied = ranked.filter((x) => x === first || !separated(rounds(first), rounds(x)));
        parts.push(
          `${name}: no clear winner, ${tied.map(shown).join(' and ')} are within the spread of their rounds`,
        );
      }
    }
    if (parts.length > 0) out.push(`The ${c.what} (${where}) — ${parts.join('; ')}.`);
  }
  for (const m of look.ran.filter((x) => x.kind === 'locksmith')) {
    const parts: string[] = [];
    if (m.floor !== null) {
      const own = look.metric(m.name, 'uncontended', 'p50Us');
      const floor = look.metric(m.floor, 'uncontended', 'p50Us');
      if (own !== null && floor !== null && floor > 0) {
        parts.push(
          `${(own / floor).toFixed(2)}× its floor (${m.floor}) in uncontended p50 (${formatMetric('p50Us', own)} vs ${formatMetric('p50Us', floor)})`,
        );
      }
      const ownT = look.metric(m.name, 'handoff', 'acquisitionsPerSec');
      const floorT = look.metric(m.floor, 'handoff', 'acquisitionsPerSec');
      if (ownT !== null && floorT !== null && floorT > 0) {
        parts.push(`${(ownT / floorT).toFixed(2)}× the floor's throughput with 8 workers`);
      }
    }
    const peers = look.ran.filter((p) => p.kind === 'peer' && p.backend === m.backend);
    const bestPeer = peers
      .map((p) => ({ p, v: look.metric(p.name, 'handoff', 'acquisitionsPerSec') }))
      .filter((x): x is { p: (typeof peers)[number]; v: number } => x.v !== null)
      .sort((a, b) => b.v - a.v)[0];
    const ownT = look.metric(m.name, 'handoff', 'acquisitionsPerSec');
    if (bestPeer !== undefined && ownT !== null && bestPeer.v > 0) {
      const wait = look.metric(m.name, 'handoff', 'waitP99Us');
      const peerWait = look.metric(bestPeer.p.name, 'handoff', 'waitP99Us');
      parts.push(
        `${(ownT / bestPeer.v).toFixed(2)}× the throughput of the best peer, ${bestPeer.p.name}, with 8 workers` +
          (wait !== null && peerWait !== null
            ? ` (acquire-wait p99 ${formatMetric('waitP99Us', wait)} vs ${formatMetric('waitP99Us', peerWait)})`
            : ''),
      );
    }
    if (parts.length > 0) out.push(`**${m.name}** runs at ${parts.join('; ')}.`);
  }
  return out;
}
