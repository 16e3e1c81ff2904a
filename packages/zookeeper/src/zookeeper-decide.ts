import { sequenceOf } from './zookeeper-keys.ts';

/**
 * What a contender does next: it holds the lock, or it waits for `watch` (a node name) to go.
 * `next`: nothing else is ahead of `watch`, so once it goes I hold the lock (no node created
 * later can get ahead of me: sequence numbers only grow).
 */
export type Decision =
  | { readonly held: true }
  | { readonly held: false; readonly watch: string; readonly next: boolean };

/**
 * The queue's policy, free of I/O: with `permits` holders allowed, the nodes with the `permits`
 * lowest sequence numbers hold the lock, and every later one watches only the node `permits`
 * places ahead of it, so a release wakes one waiter, not the herd. Children that are not queue
 * nodes are ignored.
 * @returns `undefined` when `mine` is not among `children` (my node is gone).
 * @throws Error when `permits` is not a positive integer (a bug in the caller).
 */
export function decide(children: readonly string[], mine: string, permits = 1): Decision | undefined {
  if (!Number.isInteger(permits) || permits < 1)
    throw new Error(`permits must be a positive integer (got ${permits})`);
  const sorted = children
    .map((name) => ({ name, seq: sequenceOf(name) }))
    .filter((c): c is { name: string; seq: number } => c.seq !== undefined)
    .sort((a, b) => a.seq - b.seq);
  const index = sorted.findIndex((c) => c.name === mine);
  if (index < 0) return undefined;
  if (index < permits) return { held: true };
  return { held: false, watch: (sorted[index - permits] as { name: string }).name, next: index === permits };
}
