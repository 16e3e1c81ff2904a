/** One queue entry of a lock: its key and the revision that created it (its place in the queue). */
export interface Contender {
  readonly key: string;
  readonly createRevision: bigint;
}

/** What a contender does next: it holds the lock, or it waits for `watch` to leave the queue. */
export type Decision = { readonly held: true } | { readonly held: false; readonly watch: Contender };

/**
 * The queue's policy, free of I/O: with `permits` holders allowed, the first `permits` contenders
 * (by create revision) hold the lock and every later one watches the contender `permits` places
 * ahead of it — only that one, so a release wakes one waiter, not the herd. A semaphore is this
 * function with `permits > 1`; a read/write lock would be another `decide`, not another loop.
 *
 * @param sorted contenders in ascending create-revision order; must include `mine` and may omit
 *   contenders after it (they never matter).
 * @throws Error when `mine` is not in `sorted` or `permits` is not a positive integer (a bug in
 *   the caller, never a server state).
 */
export function decide(sorted: readonly Contender[], mine: Contender, permits = 1): Decision {
  if (!Number.isInteger(permits) || permits < 1)
    throw new Error(`permits must be a positive integer (got ${permits})`);
  const index = sorted.findIndex((c) => c.key === mine.key && c.createRevision === mine.createRevision);
  if (index < 0) throw new Error(`decide: ${mine.key} is not among the contenders`);
  if (index < permits) return { held: true };
  return { held: false, watch: sorted[index - permits] as Contender };
}
