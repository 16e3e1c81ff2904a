import type { LeaderInfo } from '@locksmith/core';
import { sleep } from '@locksmith/core/protocol';
import { type ConsulClient, readKey } from './consul-client.ts';

/** How long one blocking query waits before Consul answers with no change (it is then re-sent). */
const BLOCK_MS = 30_000;
/** Pause after a failed read before the next, doubling up to the cap (Consul unreachable, no leader). */
const ERROR_RETRY_MS = 100;
const ERROR_RETRY_CAP_MS = 2_000;

/**
 * The leader of the election at `path` (the session holding the key: its value, and the key's
 * ModifyIndex as the term), then each new leader, until `signal` aborts: blocking queries from the
 * index last seen, so no change is polled for and none between two reads is missed.
 */
export async function* observeLeader(
  client: ConsulClient,
  path: string,
  signal: AbortSignal,
): AsyncGenerator<LeaderInfo, void, undefined> {
  let index = 0;
  let last: bigint | undefined;
  let pause = ERROR_RETRY_MS;
  while (!signal.aborted) {
    let state: Awaited<ReturnType<typeof readKey>>;
    try {
      state = await readKey(client, path, index, BLOCK_MS, signal);
      pause = ERROR_RETRY_MS;
    } catch {
      if (signal.aborted) return; // an observation ends by returning, not throwing
      await sleep(pause, signal).catch(() => undefined);
      pause = Math.min(pause * 2, ERROR_RETRY_CAP_MS);
      continue;
    }
    // An index that went back (a restored snapshot, a new leader's reset) restarts from 0.
    index = state.index < index ? 0 : state.index;
    const entry = state.entry;
    if (entry?.Session) {
      const term = BigInt(entry.ModifyIndex);
      if (term !== last) {
        last = term;
        yield { value: entry.Value ?? '', term };
      }
    }
  }
}
