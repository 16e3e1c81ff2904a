import type { LeaderInfo } from '@locksmith/core';
import { raceAbort } from '@locksmith/core/protocol';
import type { Etcd3 } from 'etcd3';
import { rangeEnd } from './etcd-keys.ts';

/**
 * The leader of the election whose candidates live under `prefix` (the entry with the lowest
 * create revision; the term is that revision), then each new leader, until `signal` aborts. One
 * prefix watch for the whole observation, started before each read, so no change between a read
 * and the wait is missed; the watch only says "read again", the read says who leads.
 */
export async function* observeLeader(
  client: Etcd3,
  prefix: string,
  signal: AbortSignal,
): AsyncGenerator<LeaderInfo, void, undefined> {
  if (signal.aborted) return;
  let changed = flag();
  const watcher = client.watch().prefix(prefix).watcher();
  const touch = () => changed.set();
  watcher.on('put', touch);
  watcher.on('delete', touch);
  watcher.on('connected', touch); // reconnected: events may have been missed
  watcher.on('error', () => undefined); // etcd3 reconnects the watch itself
  let last: bigint | undefined;
  try {
    await raceAbort(new Promise((resolve) => watcher.once('connected', resolve)), signal);
    for (;;) {
      changed = flag();
      const leader = await raceAbort(firstCandidate(client, prefix), signal);
      if (leader !== undefined && leader.term !== last) {
        last = leader.term;
        yield leader;
      }
      await raceAbort(changed.promise, signal);
    }
  } catch (error) {
    if (signal.aborted) return; // an observation ends by returning, not throwing
    throw error;
  } finally {
    watcher.cancel().catch(() => undefined);
  }
}

async function firstCandidate(client: Etcd3, prefix: string): Promise<LeaderInfo | undefined> {
  const key = Buffer.from(prefix);
  const reply = await client.kv.range({
    key,
    range_end: rangeEnd(key),
    sort_target: 'Create',
    sort_order: 'Ascend',
    limit: 1,
  });
  const kv = reply.kvs[0];
  return kv === undefined ? undefined : { value: kv.value.toString(), term: BigInt(kv.create_revision) };
}

/** A promise resolved by `set()`, once. */
function flag(): { promise: Promise<void>; set(): void } {
  let set: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    set = resolve;
  });
  return { promise, set: () => set() };
}
