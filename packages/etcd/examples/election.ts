// Leader election on etcd: one leader at a time, its term fencing every write it makes.
// Run it: LOCKSMITH_ETCD_ENDPOINTS=http://127.0.0.1:2379 pnpm exec tsx examples/election.ts

import { etcdLocks } from '@locksmith/etcd';
import { memoryFence } from '@locksmith/fencing';
import { Etcd3 } from 'etcd3';

export async function main(
  endpoints = (process.env.LOCKSMITH_ETCD_ENDPOINTS ?? 'http://127.0.0.1:2379').split(','),
): Promise<string[]> {
  const client = new Etcd3({ hosts: endpoints });
  const prefix = `example-${process.pid}`;
  // Two scheduler replicas; in production each is its own process.
  const [one, two] = [etcdLocks({ client, prefix }), etcdLocks({ client, prefix })];
  // The resource the leader owns refuses a write whose term is older than one it has seen.
  const fence = memoryFence();
  const write = (term: bigint, what: string) =>
    fence.acceptSync('jobs', term) ? `wrote ${what}` : `refused ${what} (stale term)`;
  const log: string[] = [];
  const stop = new AbortController();
  try {
    // Followers route work to whoever leads: observe() yields each new leader.
    const leaders: string[] = [];
    const watching = (async () => {
      for await (const leader of one.observe('scheduler', { signal: stop.signal }))
        leaders.push(leader.value);
    })();

    const seen = async (value: string) => {
      while (!leaders.includes(value)) await new Promise((resolve) => setTimeout(resolve, 10));
    };

    const first = await one.elect('scheduler', { value: 'replica-1', ttlMs: 10_000 });
    log.push(`${first.value} leads`);
    await seen('replica-1'); // an observer sees the current leader, then each change
    log.push(write(first.term, 'plan from replica-1'));

    // The second replica queues behind the leader and is woken when it steps down.
    const second = two.elect('scheduler', { value: 'replica-2', ttlMs: 10_000 });
    await first.resign();
    const next = await second;
    log.push(`${next.value} leads with a larger term: ${next.term > first.term}`);
    log.push(write(next.term, 'plan from replica-2'));
    // A deposed leader that wakes up late (a GC pause) still holds its old term: refused.
    log.push(write(first.term, 'late plan from replica-1'));
    next.signal.throwIfAborted(); // in long work: stop when leadership is lost
    // The observer must see replica-2 while it still leads: a leadership that began and ended
    // between two of its reads is never yielded (it reports the current leader, not a history).
    await seen('replica-2');
    await next.resign();

    stop.abort();
    await watching;
    log.push(`observed: ${leaders.join(', ')}`);
  } finally {
    stop.abort();
    await Promise.all([one.close(), two.close()]);
    client.close();
  }
  return log;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await main()).join('\n'));
