import { type FaultOutcome, type FaultRunResult, unsafeCounts } from '@locksmith/testkit';
import type { FaultsResults } from '../results.ts';

/** How one backend × fault came out, in a word the table shows. */
export type Verdict = 'pass' | 'FAIL' | 'known gap' | 'n/a' | 'not run' | 'error';

/** One row of the report's table. */
export interface Row {
  readonly backend: string;
  readonly fault: string;
  readonly verdict: Verdict;
  /** The reason (n/a, not run, error), what failed, or the known gap. */
  readonly detail: string;
  readonly result?: FaultRunResult;
}

const join = (counts: Readonly<Record<string, number>>) =>
  Object.entries(counts)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');

/** The verdict of one outcome (see `unsafeCounts` for what fails). */
export function rowOf(backend: string, outcome: FaultOutcome): Row {
  const base = { backend, fault: outcome.fault };
  if (outcome.status !== 'ran') {
    const verdict = outcome.status === 'not-run' ? 'not run' : outcome.status;
    return { ...base, verdict, detail: outcome.reason };
  }
  const bad = unsafeCounts(outcome);
  if (Object.keys(bad).length > 0)
    return {
      ...base,
      verdict: 'FAIL',
      detail: Object.entries(bad)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; '),
      result: outcome,
    };
  if (outcome.knownGap !== undefined && outcome.counts.silentLosses > 0)
    return { ...base, verdict: 'known gap', detail: outcome.knownGap, result: outcome };
  return { ...base, verdict: 'pass', detail: '', result: outcome };
}

export function rowsOf(results: FaultsResults): Row[] {
  return results.targets.flatMap((t) => t.outcomes.map((o) => rowOf(t.name, o)));
}

const ms = (v: number | null) => (v === null ? 'never' : `${Math.round(v)}`);

/** The count columns of a row that ran, as text, in the table's order. */
export function countCells(result: FaultRunResult | undefined): string[] {
  if (result === undefined) return Array.from({ length: COUNT_HEADERS.length }, () => '');
  const c = result.counts;
  const lost = join(c.leasesLost);
  return [
    String(c.acquisitions),
    String(c.overlaps),
    `${c.staleWritesAccepted} (${c.staleWritesRejected + c.staleReadsRejected} rejected)`,
    String(c.incrementsLost),
    lost === '' ? '0' : lost,
    `${c.superseded}: ${c.signalledBeforeSuccessor} / ${c.lostAtFirstLook} / ${c.silentLosses}`,
    String(c.unhandledRejections + c.uncaughtExceptions),
    ms(c.recoveryMs),
    ms(c.freshAcquireMs),
    result.fencing,
  ];
}

export const COUNT_HEADERS = [
  'acquisitions',
  'overlaps',
  'stale writes accepted',
  'increments lost',
  'leases lost (reason)',
  'superseded: signalled / first look / silent',
  'unhandled',
  'recovery ms',
  'fresh acquire ms',
  'fencing',
];
