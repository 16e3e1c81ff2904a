import {
  BackendUnavailableError,
  type Capabilities,
  type Clock,
  InvalidArgumentError,
  type LockLostError,
} from '@locksmith/core';
import {
  type AcquireRequest,
  Cleanups,
  type ElectionProtocol,
  type ExtendRequest,
  type LockAttempt,
  type LockProtocol,
} from '@locksmith/core/protocol';
import { children, remove, replyLost, stat, sync, watchGone } from './zookeeper-client.ts';
import { decide } from './zookeeper-decide.ts';
import type { ZooKeeperHold } from './zookeeper-hold.ts';
import {
  newClientId,
  nodePrefix,
  sequenceOf,
  zookeeperElectionPath,
  zookeeperLockPath,
} from './zookeeper-keys.ts';
import { observeLeader } from './zookeeper-observe.ts';
import { enqueue, findTagged, readQueue, tokenOf } from './zookeeper-queue.ts';
import type { ZooKeeperSession } from './zookeeper-session.ts';

/** Settings of {@link ZooKeeperProtocol}, validated by `zookeeperLocks`. */
export interface ZooKeeperProtocolSettings {
  readonly prefix: string;
  readonly clock: Clock;
  /** Bound on how long `close()` waits for queue clean-up. */
  readonly closeTimeoutMs: number;
}

/** A mutex: one holder. A semaphore would pass its permits here. */
const PERMITS = 1;
/** Locks whose next sequence number is remembered; past it the memory starts over. */
const MAX_PREDICTIONS = 10_000;

/**
 * The ZooKeeper lock protocol (the lock recipe of ZooKeeper's documentation, as Curator runs it):
 * a lock is a container node whose EPHEMERAL_SEQUENTIAL children queue for it; the lowest holds
 * it, each later one watches only its predecessor. Nodes live in the user's client's session,
 * which the client keeps alive by itself; a renewal checks that the session and the node live.
 */
export class ZooKeeperProtocol implements LockProtocol<ZooKeeperHold> {
  readonly backend = 'zookeeper';
  readonly capabilities: Capabilities = {
    fencing: 'strict',
    wait: 'push',
    fifo: true,
    primitives: ['lock', 'elect'],
  };
  /**
   * Elections (Curator's LeaderLatch recipe on this queue): a candidacy is a node under the
   * election's path holding the candidate's value; the lowest leads, the term is its czxid.
   */
  readonly election: ElectionProtocol<ZooKeeperHold> = {
    campaign: (name, value, request) =>
      this.#attempt(name, zookeeperElectionPath(this.#settings.prefix, name), value, request),
    observe: (name, signal) =>
      observeLeader(this.#session, zookeeperElectionPath(this.#settings.prefix, name), signal),
  };
  readonly #session: ZooKeeperSession;
  readonly #settings: ZooKeeperProtocolSettings;
  readonly #cleanups: Cleanups;
  readonly #clientId = newClientId();
  #sequence = 0;
  /** Per lock path: the sequence number my next node gets if nobody else touched the queue since. */
  readonly #nextSequence = new Map<string, number>();

  constructor(session: ZooKeeperSession, settings: ZooKeeperProtocolSettings) {
    this.#session = session;
    this.#settings = settings;
    this.#cleanups = new Cleanups(settings.clock);
  }

  /**
   * One acquire on core's wait loop. The first try creates my node and reads the queue in one
   * round trip (a try without waiting reads first and writes nothing when the lock is busy); each
   * later try, after my predecessor's node changed, reads the queue and my node again. Between
   * tries the loop waits for that watch; a re-read every half session timeout is the fallback.
   */
  attempt(key: string, request: AcquireRequest): LockAttempt<ZooKeeperHold> {
    return this.#attempt(key, zookeeperLockPath(this.#settings.prefix, key), '', request);
  }

  /** One place in the queue under `lockPath` (a lock's or an election's); my node holds `data`. */
  #attempt(
    key: string,
    lockPath: string,
    data: string,
    { ttlMs, wait, signal }: AcquireRequest,
  ): LockAttempt<ZooKeeperHold> {
    const session = this.#session;
    const { clock } = this.#settings;
    this.#sequence += 1;
    const prefix = nodePrefix(`${this.#clientId}${this.#sequence.toString(36)}`);
    /** My node's name once known. */
    let mine: string | undefined;
    /** A create was sent: a node of mine may exist even when its name is unknown (lost reply). */
    let sent = false;
    /** My node's czxid once read. */
    let token: bigint | undefined;
    /**
     * The wait under way: its watch's send time and whether the node watched was the last one
     * ahead of me (`next`) and is known deleted (`gone`).
     */
    let waiting: { sentAt: number; next: boolean; gone: boolean } | undefined;
    return {
      take: async () => {
        const last = waiting;
        waiting = undefined;
        if (last?.gone && last.next && token !== undefined && mine !== undefined) {
          // The node just ahead of me, the last one, was deleted: I hold the lock, known without
          // another read (the handoff costs the release's delete only). Dated from the watch's
          // send, which the server heard, so my session lives at least a session timeout past it;
          // only while that leaves most of ttlMs, else read again and date from now.
          if (session.ended === undefined && clock.now() - last.sentAt < ttlMs / 2)
            return { hold: this.#hold(key, ttlMs, lockPath, mine, token, last.sentAt, false) };
        }
        await session.ready(signal);
        this.#checkTtl(ttlMs);
        // Send time of the request that may find me holding: the session (and my node) lives at
        // least a session timeout past it, and the lease no longer than ttlMs ≤ that timeout.
        const attemptAt = clock.now();
        let list: readonly string[];
        let czxid: bigint | undefined;
        if (mine === undefined) {
          if (!wait && (await queueBusy(session, lockPath))) return { retryMs: 0 };
          const queued = await enqueue(
            session,
            lockPath,
            prefix,
            signal,
            () => {
              sent = true;
            },
            this.#nextSequence.get(lockPath),
            data,
          );
          mine = queued.name;
          ({ children: list, czxid } = queued);
        } else {
          const known = token !== undefined;
          ({ children: list, czxid } = await readQueue(session, lockPath, known ? undefined : mine, signal));
          if (!known && czxid === undefined) {
            throw new BackendUnavailableError(
              'zookeeper',
              `the queue node of "${key}" vanished while waiting`,
            );
          }
        }
        const decision = decide(list, mine, PERMITS);
        if (decision === undefined)
          throw new BackendUnavailableError('zookeeper', `the queue node of "${key}" vanished`);
        token ??= czxid;
        if (decision.held) {
          token ??= await tokenOf(session, `${lockPath}/${mine}`);
          if (session.ended !== undefined) throw new BackendUnavailableError('zookeeper', session.ended);
          return { hold: this.#hold(key, ttlMs, lockPath, mine, token, attemptAt, list.length === 1) };
        }
        if (!wait) return { retryMs: 0 };
        const current = { sentAt: clock.now(), next: decision.next, gone: false };
        waiting = current;
        const gone = watchGone(session.client, `${lockPath}/${decision.watch}`);
        if (token === undefined) {
          // Read my czxid behind the watch (same round trip), so the grant needs no read of it.
          const path = `${lockPath}/${mine}`;
          void stat(session.client, path).then((node) => {
            if (node !== undefined) token ??= BigInt(node.czxid);
          }, noop);
        }
        return {
          retryMs: session.timeoutMs / 2,
          wake: gone.then((deleted) => {
            current.gone = deleted;
          }),
        };
      },
      leave: async (late) => {
        if (late) {
          await this.release(late).catch(noop);
          return;
        }
        if (!sent) return;
        // Not held (timeout, abort, error, lost reply): take my node out of the queue, found by its
        // tag when the create's reply was lost. A node left behind would block every later waiter
        // while the session lives, so a failed delete is retried as long as the session lives.
        const known = mine;
        this.#cleanups.run(
          async () => {
            const name = known ?? findTagged(await children(session.client, lockPath), prefix);
            if (name !== undefined) await remove(session.client, `${lockPath}/${name}`);
          },
          () => session.ended === undefined,
        );
      },
    };
  }

  /** A hold of my node, dated `sentAt`, registered with the session (lost with it). */
  #hold(
    key: string,
    ttlMs: number,
    lockPath: string,
    mine: string,
    token: bigint,
    sentAt: number,
    alone: boolean,
  ): ZooKeeperHold {
    const sequence = sequenceOf(mine) ?? 0;
    const hold: ZooKeeperHold = {
      key,
      token,
      sentAt,
      ttlMs,
      path: `${lockPath}/${mine}`,
      lockPath,
      sequence,
      alone,
    };
    this.#session.holds.add(hold);
    return hold;
  }

  async release(hold: ZooKeeperHold): Promise<boolean> {
    const session = this.#session;
    session.holds.delete(hold);
    if (session.ended !== undefined) return false; // the session's nodes went with it
    try {
      const removed = await remove(session.client, hold.path);
      // Unless someone else creates a node under this lock first, my next node gets the next
      // number: an uncontended re-acquire then reads its czxid along with its create. A contended
      // lock is not guessed at (the guess would mostly cost a wasted read).
      if (this.#nextSequence.size >= MAX_PREDICTIONS) this.#nextSequence.clear();
      if (hold.alone) this.#nextSequence.set(hold.lockPath, hold.sequence + 1);
      else this.#nextSequence.delete(hold.lockPath);
      return removed;
    } catch (error) {
      if (!replyLost(error)) throw error;
      // The delete may have run; either way my node must go: retried while the session lives.
      this.#cleanups.run(
        () => remove(session.client, hold.path),
        () => session.ended === undefined,
      );
      return true;
    }
  }

  /**
   * Renews by checking, in one round trip (the reads are pipelined), that the session is alive
   * and each node still exists. ZooKeeper keeps the session alive by itself while connected; a
   * lease's deadline is dated from this check's send and never outlasts the session timeout.
   */
  async extend(requests: readonly ExtendRequest<ZooKeeperHold>[]): Promise<boolean[]> {
    const session = this.#session;
    if (session.ended !== undefined) return requests.map(() => false);
    const within = Math.max(1, Math.floor(session.timeoutMs / 3));
    return withTimeout(
      Promise.all(
        requests.map(async ({ hold, ttlMs }) => {
          // A longer lease than the session could keep without contact is refused: lost.
          if (ttlMs > session.timeoutMs) return false;
          return (await stat(session.client, hold.path)) !== undefined;
        }),
      ),
      within,
    );
  }

  onLoss(report: (hold: ZooKeeperHold, error: LockLostError) => void): void {
    this.#session.onLoss(report);
  }

  async close(): Promise<void> {
    await this.#cleanups.settle(this.#settings.closeTimeoutMs);
    this.#session.dispose();
  }

  /** @throws InvalidArgumentError when `ttlMs` exceeds the negotiated session timeout. */
  #checkTtl(ttlMs: number): void {
    const limit = this.#session.timeoutMs;
    if (ttlMs > limit) {
      throw new InvalidArgumentError(
        'options.ttlMs',
        `must be at most the ZooKeeper session timeout the client negotiated, ${limit} ms (got ${ttlMs}): ` +
          'a lock lives in the session, which the server may expire after that long without contact. ' +
          'Pass a shorter ttlMs, or create the client with a longer `timeout` (the server caps it at its maxSessionTimeout, 20 × tickTime by default)',
      );
    }
  }
}

function noop(): void {}

/** Rejects with BackendUnavailableError when `promise` has not settled within `ms`. */
/**
 * Whether any node queues under `lockPath`. A plain read comes from the connected server, which may
 * not have applied a delete another client already saw complete (ZooKeeper reads are not
 * linearizable across sessions), so a busy answer is read again after a sync with the leader:
 * the free path costs one read, the busy one three round trips.
 */
async function queueBusy(session: ZooKeeperSession, lockPath: string): Promise<boolean> {
  if ((await children(session.client, lockPath)).length === 0) return false;
  await sync(session.client, lockPath);
  return (await children(session.client, lockPath)).length > 0;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new BackendUnavailableError('zookeeper', `renewal got no reply within ${ms} ms`)),
      ms,
    );
    timer.unref?.();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
