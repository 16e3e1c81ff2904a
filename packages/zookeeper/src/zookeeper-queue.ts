import { BackendUnavailableError } from '@locksmith/core';
import {
  children,
  create,
  isCode,
  replyLost,
  stat,
  sync,
  ZK,
  type ZooKeeperClient,
} from './zookeeper-client.ts';
import { ancestry } from './zookeeper-keys.ts';
import type { ZooKeeperSession } from './zookeeper-session.ts';

/** Tries of one enqueue (a parent swept away under it, a lost reply) before it gives up. */
const MAX_ENQUEUE_TRIES = 5;

/** My node and the queue as read right after it was created. */
export interface Enqueued {
  /** My node's name (without the lock path). */
  readonly name: string;
  /** The lock's children, read after my create (so they include my node). */
  readonly children: readonly string[];
  /** My node's czxid, when the name predicted from `nextSequence` was right. */
  readonly czxid?: bigint | undefined;
}

/** The child of `children` whose name starts with this attempt's tag, if any. */
export function findTagged(list: readonly string[], prefix: string): string | undefined {
  return list.find((name) => name.startsWith(prefix));
}

/**
 * Creates my EPHEMERAL_SEQUENTIAL node under `lockPath` and reads the queue, in one round trip:
 * the getChildren is sent right behind the create, and ZooKeeper runs a session's requests in
 * order, so it sees my node. Parents are container nodes, made on demand (the server deletes a
 * container once its last child goes, so nothing a lock writes stays).
 *
 * Protected create: when the create's reply is lost (connection loss), the node may exist on the
 * server. After the reconnect, a synced read looks for a child carrying this attempt's tag and
 * adopts it (it holds my place in the queue); only when there is none is the create sent again.
 * `onSent` is called before each create goes out: from then on, `leave` must look for the node.
 *
 * `nextSequence`: the sequence number my node will get if no one else created a node under the lock
 * since this client's last one (ZooKeeper numbers a lock's sequential children one by one). An
 * `exists` of that name rides behind the create; when the name is right — the server ran it after
 * my create, in session order, so it is my node — it brings the czxid without another round trip.
 */
export async function enqueue(
  session: ZooKeeperSession,
  lockPath: string,
  prefix: string,
  signal: AbortSignal,
  onSent: () => void,
  nextSequence?: number,
  data = '',
): Promise<Enqueued> {
  const client = session.client;
  let lost = false;
  for (let tries = 1; ; tries += 1) {
    if (lost) {
      // My node may exist; find it by its tag on a server caught up with the leader.
      await session.ready(signal);
      try {
        await sync(client, lockPath);
        const list = await children(client, lockPath);
        const found = findTagged(list, prefix);
        if (found !== undefined) return { name: found, children: list };
        nextSequence = undefined;
      } catch (error) {
        if (!replyLost(error) || tries >= MAX_ENQUEUE_TRIES) throw error;
        continue;
      }
    }
    onSent();
    const created = create(client, `${lockPath}/${prefix}`, ZK.EPHEMERAL_SEQUENTIAL, data);
    const read = children(client, lockPath);
    const predicted =
      nextSequence === undefined ? undefined : `${prefix}${String(nextSequence).padStart(10, '0')}`;
    const own = predicted === undefined ? undefined : stat(client, `${lockPath}/${predicted}`);
    read.catch(() => undefined); // its failure is the create's, handled below
    own?.catch(() => undefined);
    try {
      const path = await created;
      const name = path.slice(lockPath.length + 1);
      const list = await read;
      const node = name === predicted ? await own?.catch(() => undefined) : undefined;
      return { name, children: list, czxid: node === undefined ? undefined : BigInt(node.czxid) };
    } catch (error) {
      if (tries >= MAX_ENQUEUE_TRIES) throw error;
      if (isCode(error, ZK.NONODE)) {
        await ensureContainers(client, lockPath); // nothing was created: the parent was missing
        lost = false;
      } else if (replyLost(error)) {
        lost = true;
      } else {
        throw error;
      }
    }
  }
}

/** Creates `path` and its ancestors as container nodes, each unless it exists. */
export async function ensureContainers(client: ZooKeeperClient, path: string): Promise<void> {
  for (const dir of ancestry(path)) {
    try {
      await create(client, dir, ZK.CONTAINER);
    } catch (error) {
      if (!isCode(error, ZK.NODEEXISTS)) throw error;
    }
  }
}

/** The queue and my node's create zxid, read together (one round trip). */
export interface QueueRead {
  readonly children: readonly string[];
  /** `undefined`: my node is gone. */
  readonly czxid: bigint | undefined;
}

/**
 * Reads the queue and (when `mine` is given) my node's stat in one round trip (no write). A lost reply is retried after
 * the reconnect: both reads are idempotent.
 */
export async function readQueue(
  session: ZooKeeperSession,
  lockPath: string,
  mine: string | undefined,
  signal: AbortSignal,
): Promise<QueueRead> {
  for (let tries = 1; ; tries += 1) {
    await session.ready(signal);
    const list = children(session.client, lockPath);
    // `mine` undefined: my czxid is known already, the queue alone says whether my node is there.
    const own = mine === undefined ? Promise.resolve(undefined) : stat(session.client, `${lockPath}/${mine}`);
    try {
      const [read, node] = await Promise.all([list, own]);
      return { children: read, czxid: node === undefined ? undefined : BigInt(node.czxid) };
    } catch (error) {
      list.catch(() => undefined);
      own.catch(() => undefined);
      if (!replyLost(error) || tries >= MAX_ENQUEUE_TRIES) throw error;
    }
  }
}

/** My node's create zxid (the fencing token), read after a grant from the create's round trip. */
export async function tokenOf(session: ZooKeeperSession, path: string): Promise<bigint> {
  const node = await stat(session.client, path);
  if (node === undefined) throw new BackendUnavailableError('zookeeper', `my queue node ${path} vanished`);
  return BigInt(node.czxid);
}
