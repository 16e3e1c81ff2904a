// A fault during an election (a cluster member or its leader killed and restarted, the leader's
// client cut off from the servers), checked by the election contract: the old leader reads lost
// before a new leader's term begins, and terms only ever grow. Structural types, because this
// package may not import @locksmith/core.

/** The part of a `Leadership` the check reads. */
export interface LeadershipLike {
  readonly term: bigint;
  readonly isLeader: boolean;
  resign(): Promise<void>;
}

/** The part of an `ElectionClient` the check uses. */
export interface ElectorLike {
  elect(name: string, options?: { ttlMs?: number; signal?: AbortSignal }): Promise<LeadershipLike>;
}

/** What {@link electionThroughFault} saw. */
export interface ElectionFaultReport {
  /** The first leader's term, and whether it kept leadership through the fault. */
  readonly first: bigint;
  readonly firstSurvived: boolean;
  /**
   * Whether the first leader still read as leader just before the fault began: when it did not
   * (a lease lapsed under load), a loss seen after the fault proves nothing about the fault.
   */
  readonly firstLeadingAtFault: boolean;
  /** The term of the candidate that was waiting during the fault. */
  readonly second: bigint;
  /** Whether that candidate's term began before `heal` was called. */
  readonly electedDuringFault: boolean;
  /** The term of a third leadership taken after the fault healed. */
  readonly third: bigint;
}

export interface ElectionFaultOptions {
  /** Becomes leader first. */
  readonly leader: ElectorLike;
  /** Waits as a candidate through the fault. */
  readonly candidate: ElectorLike;
  readonly name: string;
  readonly ttlMs: number;
  /** Starts the fault (kill -9 of the server's leader, a partition…). */
  readonly fault: () => Promise<unknown>;
  /** Ends it (restart the member, heal the partition). */
  readonly heal: () => Promise<unknown>;
  /** How long the fault lasts at least before `heal`. */
  readonly faultMs: number;
  /**
   * Keep the fault until the waiting candidate leads (at most `electMs`), then heal. A partition
   * needs this: its point is that the other side elects a leader while the old one is cut off;
   * healed earlier, the old leader could renew and the candidate never be tested.
   * @defaultValue false
   */
  readonly healAfterElection?: boolean;
  /** Bound on each wait for a leadership (during the fault too, with `healAfterElection`). */
  readonly electMs: number;
  /**
   * Makes the elector that takes the third leadership, after the heal (default: `leader` again).
   * For a client the fault ended for good, such as a ZooKeeper client whose session expired.
   */
  readonly rejoin?: () => Promise<ElectorLike>;
}

/**
 * Runs the scenario and throws (an Error naming what broke) when two leaders overlapped by this
 * process's view or a term did not grow; otherwise returns the terms seen.
 */
export async function electionThroughFault(options: ElectionFaultOptions): Promise<ElectionFaultReport> {
  const { leader, candidate, name, ttlMs } = options;
  const first = await leader.elect(name, { ttlMs });
  let overlap = false;
  let elected = false;
  const waiting = candidate.elect(name, { ttlMs }).then((next) => {
    // The successor's term has begun: the old leader must read lost by now (its own clock).
    if (first.isLeader) overlap = true;
    elected = true;
    return next;
  });
  waiting.catch(() => undefined); // awaited below; a rejection meanwhile is not unhandled
  const firstLeadingAtFault = first.isLeader;
  await options.fault();
  let electedDuringFault = false;
  try {
    await new Promise((resolve) => setTimeout(resolve, options.faultMs));
    if (options.healAfterElection === true)
      await within(waiting, options.electMs, 'the waiting candidate to lead during the fault');
  } finally {
    electedDuringFault = elected;
    await options.heal();
  }
  const firstSurvived = first.isLeader;
  if (firstSurvived) await first.resign();
  const second = await within(waiting, options.electMs, 'the waiting candidate to lead after the fault');
  if (overlap)
    throw new Error(`two leaders: term ${second.term} began while term ${first.term} read as leader`);
  if (second.term <= first.term) throw new Error(`term went from ${first.term} to ${second.term}`);
  await second.resign();
  const rejoined = options.rejoin === undefined ? leader : await options.rejoin();
  const third = await within(
    rejoined.elect(name, { ttlMs, signal: AbortSignal.timeout(options.electMs) }),
    options.electMs + 1_000,
    'a third leadership after the fault',
  );
  if (third.term <= second.term) throw new Error(`term went from ${second.term} to ${third.term}`);
  await third.resign();
  return {
    first: first.term,
    firstSurvived,
    firstLeadingAtFault,
    second: second.term,
    electedDuringFault,
    third: third.term,
  };
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${ms} ms for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
