import type { FaultRunResult } from '@locksmith/testkit';
import type { FaultsResults } from '../results.ts';
import { timelineSvg } from './timeline-svg.ts';

/** One timeline per fault that ran. */
export interface Chart {
  readonly fault: string;
  readonly backend: string;
  readonly file: string;
  /** What each shaded window (numbered in the chart) was. */
  readonly injections: readonly string[];
  readonly svg: string;
}

/**
 * For each fault, the run that shows it best: the most leases lost silently, then the most
 * superseded, then the first backend.
 */
export function chartsOf(results: FaultsResults): Chart[] {
  const best = new Map<string, { backend: string; result: FaultRunResult }>();
  const score = (r: FaultRunResult) => r.counts.silentLosses * 1_000 + r.counts.superseded;
  for (const target of results.targets) {
    for (const outcome of target.outcomes) {
      if (outcome.status !== 'ran') continue;
      const current = best.get(outcome.fault);
      if (current === undefined || score(outcome) > score(current.result))
        best.set(outcome.fault, { backend: target.name, result: outcome });
    }
  }
  return [...best.entries()].map(([fault, { backend, result }]) => ({
    fault,
    backend,
    file: `charts/${fault}.svg`,
    injections: result.injections.map((i) => i.label),
    svg: timelineSvg(result, `${fault} on ${backend}`),
  }));
}
