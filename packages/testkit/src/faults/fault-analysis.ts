import type { LedgerCounts } from '../safety-ledger.ts';
import type { FaultCounts } from './fault-result.ts';
import { type InjectionRecord, type LeaseRecord, leasesOf, type TimelineEvent } from './fault-timeline.ts';

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** Counts a run from its events, its ledger, its injections and the fresh client's acquire. */
export function countRun(
  events: readonly TimelineEvent[],
  ledger: LedgerCounts,
  injections: readonly InjectionRecord[],
  freshAcquireMs: number | null,
): { counts: FaultCounts; leases: LeaseRecord[] } {
  const leases = leasesOf(events);
  const acquireErrors: Record<string, number> = {};
  const leasesLost: Record<string, number> = {};
  let unhandledRejections = 0;
  let uncaughtExceptions = 0;
  let releaseErrors = 0;
  let workersKilled = 0;
  for (const e of events) {
    if (e.type === 'acquire-failed') bump(acquireErrors, e.code);
    else if (e.type === 'unhandled-rejection') unhandledRejections += 1;
    else if (e.type === 'uncaught-exception') uncaughtExceptions += 1;
    else if (e.type === 'released' && e.error !== undefined) releaseErrors += 1;
    else if (e.type === 'worker-exit' && e.killed) workersKilled += 1;
  }
  for (const lease of leases) if (lease.lostReason !== undefined) bump(leasesLost, lease.lostReason);
  const verdicts = (v: LeaseRecord['verdict']) => leases.filter((l) => l.verdict === v).length;
  const recoveries = injections.map((i) => i.recoveryMs);
  return {
    leases,
    counts: {
      ...ledger,
      acquisitions: leases.length,
      acquireErrors,
      leasesLost,
      superseded: leases.filter((l) => l.verdict !== undefined && l.verdict !== 'killed').length,
      signalledBeforeSuccessor: verdicts('signalled'),
      lostAtFirstLook: verdicts('lost-at-first-look'),
      silentLosses: verdicts('silent'),
      holdersKilled: leases.filter((l) => l.killedAt !== undefined).length,
      workersKilled,
      unhandledRejections,
      uncaughtExceptions,
      releaseErrors,
      recoveryMs: recoveries.some((r) => r === null) ? null : Math.max(0, ...(recoveries as number[])),
      freshAcquireMs,
    },
  };
}
