// MEMBER FAULTS — opt-in: kills the launcher's Consul leader (kill -9) while a lock is held and a
// waiter is blocked, then starts it again. Other engineers' tests share these servers, so this
// runs only with LOCKSMITH_CONSUL_MEMBER_FAULTS=1, when nobody else is using Consul (CI sets it).
import { killMember, startMember } from '@locksmith/backends';
import type { Lease } from '@locksmith/core';
import { electionThroughFault } from '@locksmith/test-utils';
import type Consul from 'consul';
import { afterAll, describe, expect, it } from 'vitest';
import { consulLocks } from '../src/index.ts';
import { CONSUL_ADDRS, connect, skipFor, testPrefix } from './servers.ts';

const enabled = process.env.LOCKSMITH_CONSUL_MEMBER_FAULTS === '1';
const prefix = testPrefix('leader-kill');
const skip = enabled ? await skipFor() : 'set LOCKSMITH_CONSUL_MEMBER_FAULTS=1 to kill Consul servers';
const clients: Consul[] = [];
afterAll(() => {
  for (const c of clients) c.destroy();
});

/** The launcher name (`consul-N`) of the current leader, as raft's configuration names it. */
async function leaderName(addr: string): Promise<string> {
  const reply = await fetch(`${addr}/v1/operator/raft/configuration`);
  const raft = (await reply.json()) as { Servers: { Node: string; Leader: boolean }[] };
  const leader = raft.Servers.find((s) => s.Leader);
  if (leader === undefined) throw new Error('no server is the leader');
  return leader.Node;
}

describe.skipIf(skip !== undefined)(`consul leader kill${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('kill -9 of the leader with a lock held and a waiter blocked: never two holders; the waiter gets it after', async () => {
    const leader = await leaderName(CONSUL_ADDRS[0] as string);
    // The lock clients talk to a server that survives (an application's local agent would).
    const follower = CONSUL_ADDRS.find((_, i) => `consul-${i + 1}` !== leader) as string;
    const client = connect(follower);
    clients.push(client);
    const [holder, waiter, rival] = [0, 1, 2].map(() => consulLocks({ client, prefix }));
    const ttlMs = 3_000;
    const lease: Lease = await holder!.acquire('leader', { ttlMs });
    let waiterHeldWhileHolderHeld = false;
    const waiting = waiter!.acquire('leader', { ttlMs, waitMs: 60_000 }).then((next) => {
      if (lease.held) waiterHeldWhileHolderHeld = true;
      return next;
    });
    waiting.catch(() => undefined); // awaited below; a rejection meanwhile is not unhandled
    await killMember(leader);
    try {
      // The fault really happened: the killed server no longer answers (a launcher pointed at
      // another backends dir would find no process to kill).
      const killedAddr = CONSUL_ADDRS[Number(leader.replace('consul-', '')) - 1] as string;
      await expect(fetch(`${killedAddr}/v1/status/leader`)).rejects.toThrow();
      // Across two TTLs (renewals must ride through the election) check, repeatedly, that the
      // rival gets the lock only once the holder's lease says it is lost.
      const until = performance.now() + 2 * ttlMs;
      while (performance.now() < until) {
        const heldBefore = lease.held;
        const stolen = await rival!.tryAcquire('leader').catch(() => undefined);
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
    await lease.release();
    const next = await waiting;
    expect(waiterHeldWhileHolderHeld, 'the waiter held the lock while the holder still did').toBe(false);
    expect(next.token > lease.token).toBe(true);
    await next.release();
    await Promise.all([holder!.close(), waiter!.close(), rival!.close()]);
  }, 90_000);

  it('kill -9 of the leader during an election: the old leader reads lost before a new term begins; terms grow', async () => {
    const leader = await leaderName(CONSUL_ADDRS[0] as string);
    const follower = CONSUL_ADDRS.find((_, i) => `consul-${i + 1}` !== leader) as string;
    const client = connect(follower);
    clients.push(client);
    const [a, b] = [consulLocks({ client, prefix }), consulLocks({ client, prefix })];
    const report = await electionThroughFault({
      leader: a!,
      candidate: b!,
      name: 'leader-election',
      ttlMs: 3_000,
      fault: () => killMember(leader),
      heal: () => startMember(leader),
      faultMs: 6_000,
      electMs: 30_000,
    });
    expect(report.third > report.first).toBe(true);
    await Promise.all([a!.close(), b!.close()]);
  }, 90_000);
});
