// MEMBER FAULTS — opt-in: kills the launcher's etcd leader (kill -9) while a lock is held, then
// starts it again. Other engineers' tests share these members, so this runs only with
// LOCKSMITH_ETCD_MEMBER_FAULTS=1, when nobody else is using etcd (CI sets it; members rejoin in ~1 s).
import { killMember, startMember } from '@locksmith/backends';
import type { Lease } from '@locksmith/core';
import { electionThroughFault } from '@locksmith/test-utils';
import type { Etcd3 } from 'etcd3';
import { afterAll, describe, expect, it } from 'vitest';
import { etcdLocks } from '../src/index.ts';
import { connect, skipFor, testPrefix } from './servers.ts';

const enabled = process.env.LOCKSMITH_ETCD_MEMBER_FAULTS === '1';
const prefix = testPrefix('leader-kill');
const skip = enabled ? await skipFor() : 'set LOCKSMITH_ETCD_MEMBER_FAULTS=1 to kill etcd members';
const client = connect();
afterAll(() => client.close());

/** The launcher name (`etcd-N`) of the current leader. */
async function leaderName(c: Etcd3): Promise<string> {
  const status = await c.maintenance.status();
  const members = await c.cluster.memberList({});
  const leader = members.members.find((m) => m.ID === status.leader);
  if (leader === undefined) throw new Error(`no member has the leader id ${status.leader}`);
  return leader.name;
}

describe.skipIf(skip !== undefined)(`etcd leader kill${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('kill -9 of the leader while a lock is held: the holder keeps it or learns it lost it; never two holders', async () => {
    const [holder, rival] = [etcdLocks({ client, prefix }), etcdLocks({ client, prefix })];
    const ttlMs = 3_000;
    const lease: Lease = await holder.acquire('leader', { ttlMs });
    const leader = await leaderName(client);
    await killMember(leader);
    try {
      // Across two TTLs (renewals must ride through the election) check, repeatedly, that the
      // rival gets the lock only once the holder's lease says it is lost.
      const until = performance.now() + 2 * ttlMs;
      while (performance.now() < until) {
        const heldBefore = lease.held;
        const stolen = await rival.tryAcquire('leader').catch(() => undefined);
        if (stolen !== undefined) {
          expect(heldBefore && lease.held, 'two holders at once').toBe(false);
          await stolen.release();
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(lease.held || lease.signal.aborted).toBe(true);
    } finally {
      await startMember(leader);
    }
    if (lease.held) {
      expect(await rival.tryAcquire('leader', { waitMs: 0 })).toBeUndefined();
      await lease.release();
    }
    const next = await rival.acquire('leader', { waitMs: 10_000 });
    expect(next.token > lease.token).toBe(true);
    await next.release();
    await Promise.all([holder.close(), rival.close()]);
  }, 60_000);

  it('kill -9 of the leader during an election: the old leader reads lost before a new term begins; terms grow', async () => {
    const [a, b] = [etcdLocks({ client, prefix }), etcdLocks({ client, prefix })];
    let killed = '';
    const report = await electionThroughFault({
      leader: a,
      candidate: b,
      name: 'leader-election',
      ttlMs: 3_000,
      fault: async () => {
        killed = await leaderName(client);
        await killMember(killed);
      },
      heal: () => startMember(killed),
      faultMs: 6_000,
      electMs: 20_000,
    });
    expect(report.third > report.first).toBe(true);
    await Promise.all([a.close(), b.close()]);
  }, 60_000);
});
