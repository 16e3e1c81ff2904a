// A partition during an election: the leader's client is cut off from every node (through
// toxiproxy proxies made for this test) while a candidate connected directly waits. The candidate
// must lead once the server has expired the leader's session, and the old leader must read lost
// before that; healed, a new session through the same proxies leads with a greater term (the old
// session is gone for good).
import { skipReason } from '@locksmith/backends';
import {
  electionThroughPartition,
  type PartitionProxies,
  partitionProxies,
  toxiproxyUnavailable,
} from '@locksmith/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { zookeeperLocks } from '../src/index.ts';
import { connect, REQUIRED, skipFor, type TestZooKeeper, testPrefix, ZOOKEEPER_HOSTS } from './servers.ts';

const prefix = testPrefix('election-partition');
const toxiproxy = process.env.LOCKSMITH_TOXIPROXY_URL;
const skip = (await skipFor()) ?? skipReason('toxiproxy') ?? (await toxiproxyUnavailable(toxiproxy));
const opened: TestZooKeeper[] = [];
let proxies: PartitionProxies | undefined;
afterAll(async () => {
  for (const c of opened) c.close();
  await proxies?.dispose();
});

async function session(options: Parameters<typeof connect>[0]): Promise<TestZooKeeper> {
  const client = await connect(options);
  opened.push(client);
  return client;
}

describe.skipIf(skip !== undefined && !REQUIRED)(
  `zookeeper election through a partition${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it('the leader cut off past its session: it reads lost before the waiting candidate leads; terms grow', async () => {
      if (skip) throw new Error(skip);
      proxies = await partitionProxies(toxiproxy as string, ZOOKEEPER_HOSTS.split(','), 'zookeeper');
      const hosts = proxies.addresses.join(',');
      // The leader's session (and so its lease) is short, so the server expires it soon after the
      // cut; the others' sessions are long, so load on this host cannot expire them.
      const a = zookeeperLocks({ client: await session({ hosts, timeout: 4_000 }), prefix });
      const b = zookeeperLocks({ client: await session({ timeout: 20_000 }), prefix });
      let c: ReturnType<typeof zookeeperLocks> | undefined;
      const report = await electionThroughPartition({
        leader: a,
        candidate: b,
        partition: proxies,
        ttlMs: 4_000,
        rejoin: async () => {
          c = zookeeperLocks({ client: await session({ hosts, timeout: 20_000 }), prefix });
          return c;
        },
      });
      expect(report.third > report.second && report.second > report.first).toBe(true);
      await Promise.all([a.close(), b.close(), c?.close()]);
    }, 150_000);
  },
);
