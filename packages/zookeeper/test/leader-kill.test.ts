// MEMBER FAULTS — opt-in: kills the launcher's ZooKeeper leader (kill -9) while a lock is held and
// a waiter is queued, then starts it again. Other tests share these nodes, so this runs only with
// LOCKSMITH_ZOOKEEPER_MEMBER_FAULTS=1, as its own project after all others (CI sets it).
import { findMember, killMember, startMember } from '@locksmith/backends';
import type { Lease } from '@locksmith/core';
import { afterAll, describe, expect, it } from 'vitest';
import { zookeeperLockPath, zookeeperLocks } from '../src/index.ts';
import { connect, skipFor, type TestZooKeeper, testPrefix } from './servers.ts';
import { childrenOf } from './zk-calls.ts';

const enabled = process.env.LOCKSMITH_ZOOKEEPER_MEMBER_FAULTS === '1';
const prefix = testPrefix('leader-kill');
const skip = enabled ? await skipFor() : 'set LOCKSMITH_ZOOKEEPER_MEMBER_FAULTS=1 to kill ZooKeeper nodes';
const clients: TestZooKeeper[] = [];
afterAll(() => {
  for (const c of clients) c.close();
});

/** The launcher name (`zookeeper-N`) of the node that says it leads (the `srvr` four-letter word). */
async function leaderName(): Promise<string> {
  const { createConnection } = await import('node:net');
  for (const name of ['zookeeper-1', 'zookeeper-2', 'zookeeper-3']) {
    const port = findMember(name).ports.client;
    const text = await new Promise<string>((resolve) => {
      let out = '';
      const socket = createConnection({ host: '127.0.0.1', port: port as number }, () =>
        socket.write('srvr'),
      );
      socket.on('data', (d) => {
        out += d.toString();
      });
      socket.on('error', () => resolve(''));
      socket.on('close', () => resolve(out));
    });
    if (/Mode: leader/.test(text)) return name;
  }
  throw new Error('no ZooKeeper node says it leads');
}

describe.skipIf(skip !== undefined)(`zookeeper leader kill${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('kill -9 of the leader with a lock held and a waiter queued: never two holders; the waiter gets it in order', async () => {
    const [a, b, c] = [await connect(), await connect(), await connect()];
    clients.push(a, b, c);
    const holder = zookeeperLocks({ client: a, prefix });
    const waiter = zookeeperLocks({ client: b, prefix });
    const rival = zookeeperLocks({ client: c, prefix });
    const ttlMs = 6_000;
    const lease: Lease = await holder.acquire('leader', { ttlMs });
    const queued = waiter.acquire('leader', { ttlMs, waitMs: 60_000 });
    const lockPath = zookeeperLockPath(prefix, 'leader');
    while ((await childrenOf(c, lockPath)).length < 2) await new Promise((r) => setTimeout(r, 50));
    const leader = await leaderName();
    await killMember(leader);
    try {
      // Across two TTLs (sessions ride through the election) check, repeatedly, that nobody else
      // gets the lock while the holder's lease says it is held.
      const until = performance.now() + 2 * ttlMs;
      while (performance.now() < until) {
        const heldBefore = lease.held;
        const stolen = await rival.tryAcquire('leader', { ttlMs }).catch(() => undefined);
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
    if (lease.held) await lease.release();
    const next = await queued; // the queued waiter, not the rival: its place survived the election
    expect(next.token > lease.token).toBe(true);
    await next.release();
    await Promise.all([holder.close(), waiter.close(), rival.close()]);
  }, 90_000);
});
