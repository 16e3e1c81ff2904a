// The ZooKeeper kill hook: expire the session that owns a lock's node, found by the lease's fencing
// token (the node's czxid) and the node's ephemeral owner. Every lock of that session goes with it.
import type { Leadership, Lease } from '@locksmith/core';
import { zookeeperElectionPath, zookeeperLockPath } from '../src/index.ts';
import { expireSession, type TestZooKeeper } from './servers.ts';

interface OwnerStat {
  readonly czxid: number;
  readonly ephemeralOwner: string;
}

function call<T>(start: (cb: (rc: number, error: string, value: T) => void) => unknown): Promise<T> {
  // The callback API of the `zookeeper` package: (rc, error, value).
  return new Promise((resolve, reject) => {
    start((rc, error, value) => (rc === 0 ? resolve(value) : reject(new Error(`${rc} ${error}`))));
  });
}

/** Expires the session (among `clients`) whose node holds `lease`. */
export function expireSessionOf(
  reader: TestZooKeeper,
  clients: readonly TestZooKeeper[],
  prefix: string,
  lease: Lease,
): Promise<void> {
  return expireOwner(reader, clients, zookeeperLockPath(prefix, lease.key), lease.token);
}

/** The same for a leadership: the candidate node whose czxid is the term. */
export function expireLeaderSession(
  reader: TestZooKeeper,
  clients: readonly TestZooKeeper[],
  prefix: string,
  leadership: Leadership,
): Promise<void> {
  return expireOwner(reader, clients, zookeeperElectionPath(prefix, leadership.name), leadership.term);
}

async function expireOwner(
  reader: TestZooKeeper,
  clients: readonly TestZooKeeper[],
  lockPath: string,
  token: bigint,
): Promise<void> {
  // The reader's server may lag the leader (ZooKeeper reads are not linearizable across sessions).
  await call<string>((cb) => reader.a_sync(lockPath, cb as never));
  const names = await call<string[]>((cb) => reader.a_get_children(lockPath, false, cb as never));
  for (const name of names) {
    const stat = await call<OwnerStat>((cb) => reader.a_exists(`${lockPath}/${name}`, false, cb as never));
    if (BigInt(stat.czxid) !== token) continue;
    const owner = clients.find((c) => c.client_id === stat.ephemeralOwner);
    if (owner === undefined) throw new Error(`no test client owns session ${stat.ephemeralOwner}`);
    await expireSession(owner);
    // The server deletes the session's nodes as it closes it: wait until this one is gone.
    for (let i = 0; i < 200; i += 1) {
      const left = await call<string[]>((cb) => reader.a_get_children(lockPath, false, cb as never)).catch(
        (): string[] => [],
      );
      if (!left.includes(name)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the node ${lockPath}/${name} outlived its session`);
  }
  throw new Error(`no node under ${lockPath} has czxid ${token}`);
}
