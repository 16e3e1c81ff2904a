import { BackendUnavailableError } from '@locksmith/core';
import { raceAbort } from '@locksmith/core/protocol';
import type { Etcd3, IKeyValue, IRangeRequest } from 'etcd3';
import type { Contender } from './etcd-decide.ts';
import { rangeEnd } from './etcd-keys.ts';

// The three steps of a queued acquisition, kept apart so that core's one wait loop can drive them:
// take once (enqueue and read my place), wait for my predecessor, leave (delete my entry).

/** My place in a lock's queue and the contenders just ahead of it (ascending create revision). */
export interface QueueView {
  readonly mine: Contender;
  /** Up to `permits` contenders before mine, then mine. */
  readonly sorted: readonly Contender[];
}

/** Where a queue lives and who I am in it. */
export interface QueueEntry {
  /** The lock's key prefix (`etcdLockPrefix`). */
  readonly prefix: string;
  /** My entry's key, unique per acquisition. */
  readonly key: string;
  /** What the entry holds: empty for a lock, the candidate's value in an election. */
  readonly value: Buffer;
}

const toContender = (kv: IKeyValue): Contender => ({
  key: kv.key.toString(),
  createRevision: BigInt(kv.create_revision),
});

/** The `permits` newest entries of the queue, created before `beforeRevision` when given. */
function lastEntries(prefix: string, permits: number, beforeRevision?: bigint): IRangeRequest {
  const key = Buffer.from(prefix);
  return {
    key,
    range_end: rangeEnd(key),
    sort_target: 'Create',
    sort_order: 'Descend',
    limit: permits,
    keys_only: true,
    ...(beforeRevision === undefined ? {} : { max_create_revision: String(beforeRevision - 1n) }),
  };
}

function view(mine: Contender, before: readonly IKeyValue[]): QueueView {
  return { mine, sorted: [...before.map(toContender).reverse(), mine] };
}

/**
 * Enqueues `entry` under `leaseId` and reads the contenders ahead of it, in one txn (one raft
 * write): the range runs before the put, so it sees exactly the entries older than mine, and a
 * range after the put reads my create revision. With `onlyIfEmpty` (a try without waiting) the put
 * happens only when the queue is empty — a compare over the whole prefix — so a busy try writes
 * nothing and leaves nothing to clean up; it then resolves `undefined`.
 *
 * The client may send the txn again when a connection fails after etcd applied it (etcd3 retries
 * recoverable errors). My entry then already exists: the put did not create it, the first range
 * may have seen it, and a compare on an empty queue fails. Both cases are detected by reading my
 * own entry in the same txn, and my place is then read again.
 */
export async function takeOnce(
  client: Etcd3,
  entry: QueueEntry,
  leaseId: string,
  permits: number,
  onlyIfEmpty = false,
): Promise<QueueView | undefined> {
  const prefix = Buffer.from(entry.prefix);
  const own = { request_range: { key: Buffer.from(entry.key), keys_only: true } };
  const reply = await client.kv.txn({
    // Over a range, etcd compares every key in it; with no key, it compares a zero entry (0 == 0).
    compare: onlyIfEmpty
      ? [{ key: prefix, range_end: rangeEnd(prefix), target: 'Create', result: 'Equal', create_revision: 0 }]
      : [],
    success: [
      { request_range: lastEntries(entry.prefix, permits) },
      { request_put: { key: Buffer.from(entry.key), value: entry.value, lease: leaseId } },
      own,
    ],
    failure: [own],
  });
  const ownKv = reply.responses[reply.succeeded ? 2 : 0]?.response_range.kvs[0];
  if (!reply.succeeded && ownKv === undefined) return undefined; // busy, nothing written
  const mine: Contender =
    ownKv === undefined
      ? { key: entry.key, createRevision: BigInt(reply.header.revision) }
      : toContender(ownKv);
  if (!reply.succeeded || mine.createRevision !== BigInt(reply.header.revision)) {
    // A repeated txn: I was already queued. Read my place again.
    const again = await recheck(client, mine, entry.prefix, permits);
    if (again === undefined) throw new BackendUnavailableError('etcd', `queue entry ${entry.key} vanished`);
    return again;
  }
  return view(mine, reply.responses[0]?.response_range.kvs ?? []);
}

/**
 * Reads my place again after a wake-up: whether my entry still exists (it goes with my session)
 * and who is now ahead of me. No raft write. `undefined`: my entry is not there.
 *
 * `serializable` reads the member's local state, saving the leader round trip of a linearizable
 * read. That is safe here because a stale state that contains my entry can only show *more*
 * contenders ahead of me than there are now, never fewer: entries ahead of me are only deleted,
 * and every entry created later has a larger revision. A stale "held" is impossible; a stale
 * "wait" costs one more watch. A stale state without my entry proves nothing: ask linearizably.
 */
export async function recheck(
  client: Etcd3,
  mine: Contender,
  prefix: string,
  permits: number,
  serializable = false,
): Promise<QueueView | undefined> {
  const reply = await client.kv.txn({
    compare: [],
    success: [
      { request_range: { key: Buffer.from(mine.key), keys_only: true, serializable } },
      { request_range: { ...lastEntries(prefix, permits, mine.createRevision), serializable } },
    ],
  });
  const own = reply.responses[0]?.response_range.kvs[0];
  if (own === undefined || BigInt(own.create_revision) !== mine.createRevision) return undefined;
  return view(mine, reply.responses[1]?.response_range.kvs ?? []);
}

/** Why {@link waitForPredecessor} returned. */
export type WaitOutcome = 'gone' | 'due';

/**
 * Waits until `predecessor` leaves the queue, or until `dueAt` (monotonic, on `now`) passes
 * (the caller's session then needs a keep-alive). Watches from *now* rather than from an old
 * revision — etcd serves a watch that starts at or below the current revision from its unsynced
 * loop, about every 100 ms — and then re-checks the predecessor, so a delete between the read and
 * the watch is not missed. The re-check compares the create revision, not mere existence: an entry
 * deleted and created again under the same key is a different contender.
 * @throws `signal.reason` when aborted.
 */
export async function waitForPredecessor(
  client: Etcd3,
  predecessor: Contender,
  dueAt: number,
  now: () => number,
  signal: AbortSignal,
): Promise<WaitOutcome> {
  signal.throwIfAborted();
  let wake: (outcome: WaitOutcome) => void = () => undefined;
  const woken = new Promise<WaitOutcome>((resolve) => {
    wake = resolve;
  });
  const timer = setTimeout(() => wake('due'), Math.max(0, dueAt - now()));
  timer.unref?.();
  const builder = client.watch().key(predecessor.key).only('delete');
  const watcher = builder.watcher();
  watcher.on('delete', () => wake('gone'));
  watcher.on('error', () => wake('due')); // re-read and watch again
  try {
    await raceAbort(
      new Promise<void>((resolve) => {
        watcher.once('connected', () => resolve());
      }),
      signal,
    );
    const reply = await raceAbort(
      client.kv.range({ key: Buffer.from(predecessor.key), keys_only: true }),
      signal,
    );
    const current = reply.kvs[0];
    if (current === undefined || BigInt(current.create_revision) !== predecessor.createRevision)
      return 'gone';
    return await raceAbort(woken, signal);
  } finally {
    clearTimeout(timer);
    watcher.cancel().catch(() => undefined);
  }
}

/** Deletes my entry (release, or leaving the queue). Resolves whether it was still there. */
export async function leave(client: Etcd3, key: string): Promise<boolean> {
  const reply = await client.kv.deleteRange({ key: Buffer.from(key) });
  return Number(reply.deleted) > 0;
}
