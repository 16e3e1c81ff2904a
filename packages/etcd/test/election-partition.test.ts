// A partition during an election: the leader's client is cut off from every member (through
// toxiproxy proxies made for this test) while a candidate connected directly waits. The candidate
// must lead once the leader's lease has expired on the servers, and the old leader must read lost
// before that; healed, the old client leads again with a greater term.
import { skipReason } from '@locksmith/backends';
import {
  electionThroughPartition,
  type PartitionProxies,
  partitionProxies,
  toxiproxyUnavailable,
} from '@locksmith/test-utils';
import type { Etcd3 } from 'etcd3';
import { afterAll, describe, expect, it } from 'vitest';
import { etcdLocks } from '../src/index.ts';
import { connect, ETCD_ENDPOINTS, REQUIRED, skipFor, testPrefix } from './servers.ts';

const prefix = testPrefix('election-partition');
const toxiproxy = process.env.LOCKSMITH_TOXIPROXY_URL;
const skip = (await skipFor()) ?? skipReason('toxiproxy') ?? (await toxiproxyUnavailable(toxiproxy));
const clients: Etcd3[] = [];
let proxies: PartitionProxies | undefined;
afterAll(async () => {
  for (const c of clients) c.close();
  await proxies?.dispose();
});

describe.skipIf(skip !== undefined && !REQUIRED)(
  `etcd election through a partition${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it('the leader cut off past its TTL: it reads lost before the waiting candidate leads; terms grow', async () => {
      if (skip) throw new Error(skip);
      proxies = await partitionProxies(
        toxiproxy as string,
        ETCD_ENDPOINTS.map((e) => new URL(e).host),
        'etcd',
      );
      const cutOff = connect(proxies.addresses.map((a) => `http://${a}`));
      const direct = connect();
      clients.push(cutOff, direct);
      const [a, b] = [etcdLocks({ client: cutOff, prefix }), etcdLocks({ client: direct, prefix })];
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
