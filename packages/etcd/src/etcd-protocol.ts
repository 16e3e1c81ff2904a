import {
  type AcquireRequest,
  BackendUnavailableError,
  type Capabilities,
  type Clock,
  type ExtendRequest,
  LockLostError,
  type LockProtocol,
  raceAbort,
  sleep,
} from '@locksmith/core';
import type { Etcd3 } from 'etcd3';
import { Cleanups } from './etcd-cleanups.ts';
import { decide } from './etcd-decide.ts';
import type { EtcdHold } from './etcd-hold.ts';
import { etcdLockPrefix, newClientId } from './etcd-keys.ts';
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
  readonly capabilities: Capabilities = { fencing: 'strict', wait: 'push', fifo: true, primitives: ['lock'] };
  readonly #client: Etcd3;
  readonly #settings: EtcdProtocolSettings;
  readonly #sessions: EtcdSessions;
  readonly #cleanups = new Cleanups();
  readonly #clientId = newClientId();
  #sequence = 0;
  /** Aborted by `close()`: stops clean-up retries (revoking the sessions deletes what is left). */
  readonly #closing = new AbortController();
  #report: (hold: EtcdHold, error: LockLostError) => void = () => undefined;

  constructor(client: Etcd3, settings: EtcdProtocolSettings) {
    this.#client = client;
    this.#settings = settings;
    this.#sessions = new EtcdSessions(client, settings.clock);
  }

  async acquire(key: string, request: AcquireRequest): Promise<EtcdHold | undefined> {
    try {
      return await this.#acquireIn(
        await raceAbort(this.#sessions.get(request.ttlMs), request.signal),
        key,
        request,
      );
    } catch (error) {
      if (!leaseNotFound(error)) throw error;
      // The session lease was revoked or expired without a keep-alive noticing: nothing was
      // written; try once more on a new session.
      return this.#acquireIn(
        await raceAbort(this.#sessions.get(request.ttlMs), request.signal),
        key,
        request,
      );
    }
  }

  async #acquireIn(
    session: EtcdSession,
    key: string,
    { ttlMs, wait, signal }: AcquireRequest,
  ): Promise<EtcdHold | undefined> {
    const prefix = etcdLockPrefix(this.#settings.prefix, key);
    this.#sequence += 1;
    const entry: QueueEntry = { prefix, key: `${prefix}${this.#clientId}-${this.#sequence.toString(36)}` };
    let hold: EtcdHold | undefined;
    /** Whether my entry may exist: unknown (`undefined`) until the enqueue txn answered. */
    let created: boolean | undefined;
    let enqueue: Promise<QueueView | undefined> | undefined;
    try {
      // Dates the hold from a recent keep-alive, sent alongside the txn: no extra latency.
      const fresh = this.#freshen(session, ttlMs);
      /** Send time of the request that may find me holding: the lock is mine no earlier. */
      let attemptAt = this.#settings.clock.now();
      enqueue = takeOnce(this.#client, entry, session.leaseId, PERMITS, !wait);
      let view = await raceAbort(enqueue, signal).catch((error) => {
        if (leaseNotFound(error)) {
          created = false;
          this.#sessionLost(session);
        }
        throw error;
      });
      created = view !== undefined;
      for (;;) {
        if (view === undefined) return undefined; // a try found the lock busy and wrote nothing
        const decision = decide(view.sorted, view.mine, PERMITS);
        if (decision.held) {
          await raceAbort(fresh, signal);
          hold = this.#held(key, entry.key, view.mine.createRevision, ttlMs, session, attemptAt);
          return hold;
        }
        if (!wait) return undefined;
        await this.#waitFor(session, decision.watch, signal);
        const mine = view.mine;
        attemptAt = this.#settings.clock.now();
        view = await raceAbort(recheck(this.#client, mine, prefix, PERMITS, true), signal);
        if (view === undefined) {
          attemptAt = this.#settings.clock.now();
          view = await raceAbort(recheck(this.#client, mine, prefix, PERMITS), signal);
        }
        if (view === undefined) {
          throw new BackendUnavailableError('etcd', `the session lease ended while "${key}" was waiting`);
        }
      }
    } finally {
      // Not held (timeout, abort, error, lost reply): leave the queue, keyed by this attempt's
      // entry, once the txn that may have created it has settled.
      if (hold === undefined && created !== false && enqueue !== undefined) {
        const pending = enqueue;
        this.#cleanups.run(() => pending.then(noop, noop).then(() => this.#leave(session, entry.key)));
      }
    }
  }

  async release(hold: EtcdHold): Promise<boolean> {
    hold.session.holds.delete(hold);
    // etcd said the lease is gone: its entries went with it (no delete per lock on session loss).
    if (hold.session.lost) return false;
    return leave(this.#client, hold.entry);
  }

  async extend(requests: readonly ExtendRequest<EtcdHold>[]): Promise<boolean[]> {
    // One keep-alive per session, sent now: every renewed deadline is dated no later than it.
    const bySession = new Map<EtcdSession, number[]>();
    const moves: number[] = [];
    requests.forEach(({ hold, ttlMs }, i) => {
      if (ttlMs > hold.session.grantedMs) moves.push(i);
      else bySession.set(hold.session, [...(bySession.get(hold.session) ?? []), i]);
    });
    const results = requests.map(() => false);
    await Promise.all([
      ...[...bySession].map(async ([session, indexes]) => {
        const alive = await session.keepAlive();
        if (!alive) this.#sessionLost(session);
        for (const i of indexes) results[i] = alive;
      }),
      ...moves.map(async (i) => {
        results[i] = await this.#move(requests[i] as ExtendRequest<EtcdHold>);
      }),
    ]);
    return results;
  }

  onLoss(report: (hold: EtcdHold, error: LockLostError) => void): void {
    this.#report = report;
  }

  async close(): Promise<void> {
    this.#closing.abort();
    await this.#cleanups.settle(this.#settings.closeTimeoutMs);
    // Our own leases only (never the user's client): anything left under them goes at once.
    await this.#cleanups.bounded(this.#sessions.revokeAll(), this.#settings.closeTimeoutMs);
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

  /**
   * Deletes an entry that must not stay: while its session lives, a stale entry would block every
   * later waiter of the lock. Retried with backoff until it succeeds or the session is gone
   * (`close()` revokes the sessions, which deletes whatever is left).
   */
  async #leave(session: EtcdSession, key: string): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await leave(this.#client, key);
        return;
      } catch {
        if (this.#closing.signal.aborted || !session.alive(0)) return;
        await sleep(Math.min(1_000, 50 * 2 ** attempt), this.#closing.signal);
      }
    }
  }

  /** A keep-alive in parallel with the enqueue when the session's last one is over ttl/10 old. */
  #freshen(session: EtcdSession, ttlMs: number): Promise<unknown> {
    if (this.#settings.clock.now() - session.confirmedAt <= ttlMs / 10) return Promise.resolve();
    return session.refresh().catch(noop);
  }

  /** Waits for `predecessor` to leave, keeping the session alive meanwhile. */
  async #waitFor(session: EtcdSession, predecessor: QueueView['mine'], signal: AbortSignal): Promise<void> {
    const { clock } = this.#settings;
    let dueAt = session.refreshDueAt();
    for (;;) {
      const outcome = await waitForPredecessor(this.#client, predecessor, dueAt, () => clock.now(), signal);
      if (outcome === 'gone') return;
      const alive = await raceAbort(session.refresh(), signal).catch((error) => {
        if (signal.aborted) throw error;
        return undefined; // unreachable: retry soon, until the lease's known life runs out
      });
      if (alive === false || !session.alive(0)) {
        throw new BackendUnavailableError('etcd', 'the session lease ended while waiting');
      }
      dueAt = alive === undefined ? clock.now() + REFRESH_RETRY_MS : session.refreshDueAt();
    }
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
        { request_put: { key: Buffer.from(hold.entry), value: Buffer.alloc(0), lease: target.leaseId } },
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

function noop(): void {}

/** etcd's "requested lease not found": a put under a lease that is gone. */
function leaseNotFound(error: unknown): boolean {
  return error instanceof Error && /requested lease not found/.test(error.message);
}
