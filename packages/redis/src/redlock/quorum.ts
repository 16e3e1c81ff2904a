/**
 * Redlock's arithmetic, pure so it can be tested on its own: majorities, validity time, and the
 * outcome of a vote whose replies are still arriving.
 */

/** Votes needed out of `n` instances: a strict majority, `⌊n/2⌋ + 1`. */
export function quorum(n: number): number {
  return Math.floor(n / 2) + 1;
}

/**
 * How long a lock won after `elapsedMs` can still be trusted: `ttl − elapsed − drift`, where
 * drift = `⌊ttl × driftFactor⌋ + driftMs` covers clock-rate differences between the instances
 * and this process. Positive means the lock is usable; Redlock gives up an attempt otherwise.
 */
export function validityMs(ttlMs: number, elapsedMs: number, driftFactor: number, driftMs: number): number {
  return ttlMs - elapsedMs - (Math.floor(ttlMs * driftFactor) + driftMs);
}

/** Tally of one lock's replies across the instances. */
export interface Tally {
  /** Instances that said yes (acquired / extended). */
  readonly yes: number;
  /** Instances that answered, saying no. */
  readonly no: number;
  /** Instances that failed (error, down, timed out). */
  readonly failed: number;
  /** Instances that have not answered yet. */
  readonly pending: number;
}

/**
 * `won`: a majority said yes. `lost`: no majority is possible even if every failed instance had
 * said yes. `unreachable`: no majority now, but failed instances could have made one (the answer
 * is unknown). `pending`: wait for more replies.
 */
export type VoteOutcome = 'won' | 'lost' | 'unreachable' | 'pending';

/** Decides a vote among `n` instances from its tally (see {@link VoteOutcome}). */
export function voteOutcome(tally: Tally, n: number): VoteOutcome {
  const need = quorum(n);
  if (tally.yes >= need) return 'won';
  if (tally.yes + tally.pending >= need) return 'pending';
  return tally.yes + tally.pending + tally.failed >= need ? 'unreachable' : 'lost';
}

/**
 * The Redlock token: the largest of the per-instance counters among the instances that granted
 * the lock. Best-effort: two holders can carry tokens in the wrong order when an instance lost
 * its data or a minority of counters lag (see the README).
 */
export function redlockToken(tokens: readonly bigint[]): bigint {
  let max = 0n;
  for (const t of tokens) if (t > max) max = t;
  return max;
}
