import type { LeaderInfo } from '@locksmith/core';
import { raceAbort, sleep } from '@locksmith/core/protocol';
import { getNode, replyLost, watchChildren } from './zookeeper-client.ts';
import { sequenceOf } from './zookeeper-keys.ts';
import type { ZooKeeperSession } from './zookeeper-session.ts';

/** Pause after a failed read that was not a lost connection, before reading again. */
const ERROR_RETRY_MS = 250;

/**
 * The leader of the election whose candidates queue under `path` (the lowest sequence; its data
 * is the value, its czxid the term), then each new leader, until `signal` aborts. A one-shot
 * children watch set by each read says when to read again, so no change is missed or polled for.
 */
export async function* observeLeader(
  session: ZooKeeperSession,
  path: string,
  signal: AbortSignal,
): AsyncGenerator<LeaderInfo, void, undefined> {
  let last: bigint | undefined;
  try {
    while (!signal.aborted) {
      let leader: LeaderInfo | undefined;
      let changed: Promise<void>;
      try {
        await session.ready(signal);
        const read = await watchChildren(session.client, path);
        changed = read.changed;
        const first = lowest(read.children);
        const node = first === undefined ? undefined : await getNode(session.client, `${path}/${first}`);
        // A node gone between the two reads: its delete has fired the watch; read again.
        if (node !== undefined) leader = { value: node.data, term: BigInt(node.stat.czxid) };
      } catch (error) {
        if (signal.aborted) return;
        if (!replyLost(error)) await sleep(ERROR_RETRY_MS, signal);
        continue; // a lost connection: ready() waits for the reconnect
      }
      if (leader !== undefined && leader.term !== last) {
        last = leader.term;
        yield leader;
      }
      await raceAbort(changed, signal);
    }
  } catch (error) {
    if (signal.aborted) return; // an observation ends by returning, not throwing
    throw error;
  }
}

/** The candidate with the lowest sequence number (the leader), if any. */
function lowest(children: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestSequence = Number.POSITIVE_INFINITY;
  for (const name of children) {
    const sequence = sequenceOf(name);
    if (sequence !== undefined && sequence < bestSequence) {
      best = name;
      bestSequence = sequence;
    }
  }
  return best;
}
