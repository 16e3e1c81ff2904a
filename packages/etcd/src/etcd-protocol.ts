import { BackendUnavailableError, type Capabilities, type Clock, LockLostError } from '@locksmith/core';
import {
  type AcquireRequest,
  bounded,
  Cleanups,
  type ElectionProtocol,
  type ExtendRequest,
  extendBySession,
  type LockAttempt,
  type LockProtocol,
} from '@locksmith/core/protocol';
import type { Etcd3 } from 'etcd3';
import { decide } from './etcd-decide.ts';
import type { EtcdHold } from './etcd-hold.ts';
import { etcdElectionPrefix, etcdLockPrefix, newClientId } from './etcd-keys.ts';
import { observeLeader } from './etcd-observe.ts';
import {
  leave,
  type QueueEntry,
  type QueueView,
  recheck,
  takeOnce,
  waitForPredecessor,
} from './etcd-queue.ts';
import type { EtcdSession } from './etcd-session.ts';
import { EtcdSessions } from './etcd-sessions.ts';

/** Settings of {@link EtcdProtocol}, validated by `etcdLocks`. */
export interface EtcdProtocolSettings {
  readonly prefix: string;
  readonly clock: Clock;
  /** Bound on how long `close()` waits for queue clean-up and lease revocation. */
  readonly closeTimeoutMs: number;
}

/** A failed keep-alive of a waiting session is retried after this long. */
const REFRESH_RETRY_MS = 250;
/** A mutex: one holder. A semaphore would pass its permits here. */
const PERMITS = 1;

/**
 * The etcd lock protocol: a lock is a queue of entries under `<prefix>/<key>/`, ordered by create
 * revision; the first entry holds it, each later one watches only its predecessor. Entries are
 * attached to the client's session lease for their TTL, which the lease keeper renews through
 * `extend` (one keep-alive per session per batch).
 */
export class EtcdProtocol implements LockProtocol<EtcdHold> {
  readonly backend = 'etcd';
  readonly capabilities: Capabilities = {
    fencing: 'strict',
    wait: 'push',
    fifo: true,
    primitives: ['lock', 'elect'],
  };
  /** Elections: a candidacy is a place in the election's queue, its entry holding the value. */
  readonly election: ElectionProtocol<EtcdHold> = {
    campaign: (name, value, request) =>
      this.#queued(name, etcdElectionPrefix(this.#settings.prefix, name), Buffer.from(value), request),
    observe: (name, signal) =>
      observeLeader(this.#client, etcdElectionPrefix(this.#settings.prefix, name), signal),
  };
  readonly #client: Etcd3;
  readonly #settings: EtcdProtocolSettings;
  readonly #sessions: EtcdSessions;
  readonly #cleanups: Cleanups;
  readonly #clientId = newClientId();
  #sequence = 0;
  #report: (hold: EtcdHold, error: LockLostError) => void = () => undefined;

  constructor(client: Etcd3, settings: EtcdProtocolSettings) {
    this.#client = client;
    this.#settings = settings;
    this.#sessions = new EtcdSessions(client, settings.clock);
    this.#cleanups = new Cleanups(settings.clock);
  }

  /**
   * One acquire on core's wait loop. The first try enqueues my entry and reads my place in one
   * txn; each later try (after my predecessor left, or when the session's keep-alive is due) keeps
   * the session alive if due and reads my place again. Between tries the loop waits for the
   * predecessor's delete (a watch started from now, then re-checked by create revision) or the
   * keep-alive time, whichever comes first.
   */
  attempt(key: string, request: AcquireRequest): LockAttempt<EtcdHold> {
    return this.#queued(key, etcdLockPrefix(this.#settings.prefix, key), EMPTY, request);
  }

  /** One place in the queue under `prefix` (a lock's or an election's), held by the first entry. */
  #queued(
    key: string,
    prefix: string,
    value: Buffer,
    { ttlMs, wait }: AcquireRequest,
  ): LockAttempt<EtcdHold> {
    const { clock } = this.#settings;
    this.#sequence += 1;
    const entry: QueueEntry = {
      prefix,
      key: `${prefix}${this.#clientId}-${this.#sequence.toString(36)}`,
      value,
    };
    let session: EtcdSession | undefined;
    let view: QueueView | undefined;
    /** The enqueue txn: my entry may exist once it was sent (its reply can be lost). */
    let enqueue: Promise<QueueView | undefined> | undefined;
    let created: boolean | undefined;
    let retriedSession = false;
    /** Send time of the request that may find me holding: the lock is mine no earlier. */
    let attemptAt = 0;
    let fresh: Promise<unknown> = Promise.resolve();
    let watch: AbortController | undefined;
    /** When the waiting session needs its next keep-alive (or a retry of a failed one). */
    let refreshAt = 0;
    return {
      take: async () => {
        watch?.abort();
        if (session === undefined || view === undefined) {
          session = await this.#sessions.get(ttlMs);
          const current = session;
          // Dates the hold from a recent keep-alive, sent alongside the txn: no extra latency.
          fresh = this.#freshen(current, ttlMs);
          attemptAt = clock.now();
          enqueue = takeOnce(this.#client, entry, current.leaseId, PERMITS, !wait);
          try {
            view = await enqueue;
          } catch (error) {
            if (!leaseNotFound(error)) throw error;
            created = false;
            this.#sessionLost(current);
            if (retriedSession) throw error;
            // The session lease was revoked or expired without a keep-alive noticing: nothing was
            // written; try once more on a new session.
            retriedSession = true;
            session = undefined;
            return { retryMs: 0 };
          }
          created = view !== undefined;
          if (view === undefined) return { retryMs: 0 }; // a try found the lock busy and wrote nothing
          refreshAt = current.refreshDueAt();
        } else {
          if (clock.now() >= refreshAt) {
            const refreshed = await this.#keepWaiting(session);
            refreshAt = refreshed ? session.refreshDueAt() : clock.now() + REFRESH_RETRY_MS;
          }
          attemptAt = clock.now();
          const mine = view.mine;
          view =
            (await recheck(this.#client, mine, prefix, PERMITS, true)) ??
            (await recheck(this.#client, mine, prefix, PERMITS));
          if (view === undefined) {
            throw new BackendUnavailableError('etcd', `the session lease ended while "${key}" was waiting`);
          }
        }
        const decision = decide(view.sorted, view.mine, PERMITS);
        if (decision.held) {
          await fresh;
          return { hold: this.#held(key, entry.key, view.mine.createRevision, ttlMs, session, attemptAt) };
        }
        if (!wait) return { retryMs: 0 };
        watch = new AbortController();
        const dueAt = refreshAt;
        const wake = waitForPredecessor(this.#client, decision.watch, dueAt, () => clock.now(), watch.signal);
        return { retryMs: Math.max(0, dueAt - clock.now()), wake: wake.then(noop) };
      },
      leave: async (late) => {
        watch?.abort();
        const current = session;
        if (late) {
          await this.release(late).catch(noop);
          return;
        }
        // Not held (timeout, abort, error, lost reply): leave the queue, keyed by this attempt's
        // entry (the loop calls leave once the take that may have created it has settled). A
        // stale entry would block every later waiter while its session lives: retried until the
        // delete succeeds or the session is gone (`close()` revokes it, deleting what is left).
        if (created === false || enqueue === undefined || current === undefined) return;
        this.#cleanups.run(
          () => leave(this.#client, entry.key),
          () => current.alive(0),
        );
      },
    };
  }

  async release(hold: EtcdHold): Promise<boolean> {
    hold.session.holds.delete(hold);
    // etcd said the lease is gone: its entries went with it (no delete per lock on session loss).
    if (hold.session.lost) return false;
    return leave(this.#client, hold.entry);
  }

  extend(requests: readonly ExtendRequest<EtcdHold>[]): Promise<boolean[]> {
    return extendBySession(
      requests,
      async (session) => {
        const alive = await session.keepAlive();
        if (!alive) this.#sessionLost(session);
        return alive;
      },
      (request) => this.#move(request),
    );
  }

  onLoss(report: (hold: EtcdHold, error: LockLostError) => void): void {
    this.#report = report;
  }

  async close(): Promise<void> {
    await this.#cleanups.settle(this.#settings.closeTimeoutMs);
    // Our own leases only (never the user's client): anything left under them goes at once.
    await bounded(this.#sessions.revokeAll(), this.#settings.closeTimeoutMs);
  }

  #held(
    key: string,
    entry: string,
    token: bigint,
    ttlMs: number,
    session: EtcdSession,
    attemptAt: number,
  ): EtcdHold {
    if (session.lost) throw new BackendUnavailableError('etcd', `the session lease of "${key}" ended`);
    // The entry lives as long as the lease: at least `grantedMs` past the send of its last
    // keep-alive. So the deadline (`sentAt + ttlMs`) is at most that, and at most `ttlMs` past the
    // attempt. A recent keep-alive sets it, so the session's locks renew together (one keep-alive);
    // when keep-alives lag (a loaded machine), the lease's slack (etcd's minimum TTL) still gives
    // the lock its whole TTL instead of a deadline already past.
    const { confirmedAt, grantedMs } = session;
    const sentAt =
      confirmedAt >= attemptAt - ttlMs / 10
        ? Math.min(confirmedAt, attemptAt)
        : Math.min(attemptAt, confirmedAt + grantedMs - ttlMs);
    const hold: EtcdHold = { key, token, sentAt, ttlMs, entry, session };
    session.holds.add(hold);
    return hold;
  }

  /** A keep-alive in parallel with the enqueue when the session's last one is over ttl/10 old. */
  #freshen(session: EtcdSession, ttlMs: number): Promise<unknown> {
    if (this.#settings.clock.now() - session.confirmedAt <= ttlMs / 10) return Promise.resolve();
    return session.refresh().catch(noop);
  }

  /**
   * Keeps a waiter's session alive; resolves whether the keep-alive got through (unreachable: the
   * caller retries soon, until the lease's known life runs out). Fails when the lease has ended.
   */
  async #keepWaiting(session: EtcdSession): Promise<boolean> {
    const alive = await session.refresh().catch(() => undefined);
    if (alive === false || !session.alive(0)) {
      throw new BackendUnavailableError('etcd', 'the session lease ended while waiting');
    }
    return alive !== undefined;
  }

  /** An extend past the session's TTL: re-attach the entry to the session of the longer TTL. */
  async #move({ hold, ttlMs }: ExtendRequest<EtcdHold>): Promise<boolean> {
    const callStart = this.#settings.clock.now();
    const target = await this.#sessions.get(ttlMs);
    if (target.confirmedAt < callStart && !(await target.keepAlive())) return false;
    const reply = await this.#client.kv.txn({
      compare: [
        {
          key: Buffer.from(hold.entry),
          target: 'Create',
          result: 'Equal',
          create_revision: String(hold.token),
        },
      ],
      success: [
        // ignore_value: an election entry keeps the candidate's value.
        { request_put: { key: Buffer.from(hold.entry), ignore_value: true, lease: target.leaseId } },
      ],
      failure: [],
    });
    hold.session.holds.delete(hold);
    if (!reply.succeeded) return false;
    hold.session = target;
    target.holds.add(hold);
    return true;
  }

  /** etcd said the lease is gone: every lock taken under it is lost now, not at its next renewal. */
  #sessionLost(session: EtcdSession): void {
    session.lost = true;
    const holds = [...session.holds];
    session.holds.clear();
    for (const hold of holds) this.#report(hold, new LockLostError(hold.key, 'expired'));
  }
}

const EMPTY = Buffer.alloc(0);

function noop(): void {}

/** etcd's "requested lease not found": a put under a lease that is gone. */
function leaseNotFound(error: unknown): boolean {
  return error instanceof Error && /requested lease not found/.test(error.message);
}
