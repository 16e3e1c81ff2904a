// A partition during an election: the leader's client is cut off from its Consul server (through
// a toxiproxy proxy made for this test) while a candidate connected directly waits. The candidate
// must lead once the leader's session has been invalidated (and its lock-delay has passed), and
// the old leader must read lost before that; healed, the old client leads again with a greater term.
import { skipReason } from '@locksmith/backends';
import {
  electionThroughPartition,
  type PartitionProxies,
  partitionProxies,
  toxiproxyUnavailable,
} from '@locksmith/test-utils';
import type Consul from 'consul';
import { afterAll, describe, expect, it } from 'vitest';
import { consulLocks } from '../src/index.ts';
import { CONSUL_ADDRS, connect, REQUIRED, skipFor, testPrefix } from './servers.ts';

const prefix = testPrefix('election-partition');
const toxiproxy = process.env.LOCKSMITH_TOXIPROXY_URL;
const skip = (await skipFor()) ?? skipReason('toxiproxy') ?? (await toxiproxyUnavailable(toxiproxy));
const clients: Consul[] = [];
let proxies: PartitionProxies | undefined;
afterAll(async () => {
  for (const c of clients) c.destroy();
  await proxies?.dispose();
});

describe.skipIf(skip !== undefined && !REQUIRED)(
  `consul election through a partition${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it('the leader cut off past its session: it reads lost before the waiting candidate leads; terms grow', async () => {
      if (skip) throw new Error(skip);
      const server = CONSUL_ADDRS[0] as string;
      proxies = await partitionProxies(toxiproxy as string, [new URL(server).host], 'consul');
      const cutOff = connect(`http://${proxies.addresses[0]}`);
      const direct = connect(server);
      clients.push(cutOff, direct);
      const [a, b] = [consulLocks({ client: cutOff, prefix }), consulLocks({ client: direct, prefix })];
      // Consul ends a session up to twice its TTL after the last renew, then holds the key for the
      // lock-delay (the TTL): about 9 s unloaded, within the helper's 60 s bound.
      const report = await electionThroughPartition({
        leader: a,
        candidate: b,
        partition: proxies,
        ttlMs: 3_000,
      });
      expect(report.third > report.second && report.second > report.first).toBe(true);
      await Promise.all([a.close(), b.close()]);
    }, 150_000);
  },
);
