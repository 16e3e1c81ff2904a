// The partition case of electionThroughFault, shared by every backend with elections: the leader's
// client talks to the servers only through toxiproxy proxies (see partitionProxies), which are cut
// until the candidate, connected directly, leads.
import {
  type ElectionFaultReport,
  type ElectorLike,
  electionThroughFault,
} from './election-through-fault.ts';
import { isLocksmithError } from './locksmith-error.ts';
import type { PartitionProxies } from './partition-proxies.ts';

/** An elector whose client reports lost leases as `error` events (a locksmith `ElectionClient`). */
export interface ReportingElector extends ElectorLike {
  on(event: 'error', listener: (error: unknown) => void): unknown;
}

export interface ElectionPartitionOptions {
  /** Leads first; its client goes through `partition`. */
  readonly leader: ReportingElector;
  /** Waits as a candidate, connected directly. */
  readonly candidate: ElectorLike;
  readonly partition: PartitionProxies;
  readonly ttlMs: number;
  /** Makes the elector for the third leadership (see `electionThroughFault`'s `rejoin`). */
  readonly rejoin?: () => Promise<ElectorLike>;
  /** Bound on each wait for a leadership. @defaultValue 60_000 */
  readonly electMs?: number;
}

/**
 * Cuts the leader off until the candidate leads, heals, and checks what a partition must show on
 * top of the election contract: the leader still led when the cut began, did not keep its
 * leadership, and its client emitted a `LOCK_LOST` error; the candidate led during the cut; terms
 * grew. Throws an Error naming the first check that failed; otherwise returns the terms seen.
 */
export async function electionThroughPartition(
  options: ElectionPartitionOptions,
): Promise<ElectionFaultReport> {
  const { leader, partition } = options;
  const errors: unknown[] = [];
  leader.on('error', (error) => errors.push(error));
  const report = await electionThroughFault({
    leader,
    candidate: options.candidate,
    name: 'partition-election',
    ttlMs: options.ttlMs,
    fault: () => partition.cut(),
    heal: () => partition.heal(),
    faultMs: 0,
    healAfterElection: true,
    electMs: options.electMs ?? 60_000,
    ...(options.rejoin === undefined ? {} : { rejoin: options.rejoin }),
  });
  // The cut really stopped the leader's traffic: its lease lapsed and the candidate led meanwhile.
  const broken = [
    [!report.firstLeadingAtFault, 'the leader had lost before the cut'],
    [report.firstSurvived, 'the cut-off leader kept its leadership'],
    [!report.electedDuringFault, 'the candidate led only after the heal'],
    [
      !errors.some((error) => isLocksmithError(error, 'LOCK_LOST')),
      'the cut-off leader emitted no LOCK_LOST error',
    ],
    [!(report.third > report.second && report.second > report.first), 'terms did not grow'],
  ] as const;
  const failed = broken.find(([bad]) => bad);
  if (failed) throw new Error(`${failed[1]} (terms ${report.first}, ${report.second}, ${report.third})`);
  return report;
}
