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
  type TakeOutcome,
} from '@locksmith/core/protocol';
import { type ConsulClient, transient, txn, unavailable } from './consul-client.ts';
import type { ConsulHold } from './consul-hold.ts';
import { consulElectionKey, consulLockKey, newClientId } from './consul-keys.ts';
import { observeLeader } from './consul-observe.ts';
import { lockOps, moveOps, releaseOps, type TakeRefusal, takeRefusal } from './consul-ops.ts';
import { KeyOwners } from './consul-owners.ts';
import type { ConsulSession } from './consul-session.ts';
import { ConsulSessions } from './consul-sessions.ts';
import { KeyWatch } from './consul-watch.ts';

/** Settings of {@link ConsulProtocol}, validated by `consulLocks`. */
export interface ConsulProtocolSettings {
  readonly prefix: string;
  readonly clock: Clock;
  /** Lock-delay of the sessions, in ms; `undefined`: the session's TTL. */
  readonly lockDelayMs: number | undefined;
  /** Bound on how long `close()` waits for clean-ups and for destroying its sessions. */
  readonly closeTimeoutMs: number;
}

/** A waiter whose push source is broken tries again after this long at the latest. */
const FALLBACK_RETRY_MS = 60_000;
/** A free key refused for its lock-delay is tried again after this long, doubling up to the cap. */
const LOCK_DELAY_RETRY_MS = 250;
const LOCK_DELAY_RETRY_CAP_MS = 2_000;
/** A waiter whose try failed on an unreachable Consul (or one without a leader) retries after this, doubling to the cap. */
const ERROR_RETRY_MS = 100;
const ERROR_RETRY_CAP_MS = 2_000;

/**
 * The Consul lock protocol: lock `k` is the KV key `<prefix>/<k>`, locked (`lock` verb, like
 * `PUT ?acquire=`) by one of the client's sessions and deleted on release. A try is one
 * transaction that locks the key and reads back its `ModifyIndex`, the fencing token. A waiter
 * blocks on the key (a blocking query from the index it last saw) and tries again when the key
 * is deleted or unlocked. One session per lease TTL, renewed once per keeper batch.
 */
export class ConsulProtocol implements LockProtocol<ConsulHold> {
  readonly backend = 'consul';
  readonly capabilities: Capabilities = {
    fencing: 'strict',
    wait: 'push',
    fifo: false,
    primitives: ['lock', 'elect'],
  };
  /**
   * Elections: a candidacy is an acquire of the election's key, written with the candidate's
   * value; the leader is the session holding it, the term its ModifyIndex at the acquisition.
   */
  readonly election: ElectionProtocol<ConsulHold> = {
    campaign: (name, value, request) =>
      this.#attempt(
        name,
        consulElectionKey(this.#settings.prefix, name),
        Buffer.from(value).toString('base64'),
        request,
      ),
    observe: (name, signal) =>
      observeLeader(this.#client, consulElectionKey(this.#settings.prefix, name), signal),
  };
  readonly #client: ConsulClient;
  readonly #settings: ConsulProtocolSettings;
  readonly #sessions: ConsulSessions;
  readonly #cleanups: Cleanups;
  readonly #value: string;
  readonly #owners = new KeyOwners();
  #report: (hold: ConsulHold, error: LockLostError) => void = () => undefined;

  constructor(client: ConsulClient, settings: ConsulProtocolSettings) {
    this.#client = client;
    this.#settings = settings;
    const clientId = newClientId();
    this.#value = Buffer.from(clientId).toString('base64');
    this.#sessions = new ConsulSessions(client, settings.clock, {
      name: `locksmith-${clientId}`,
      lockDelayMs: settings.lockDelayMs,
    });
    this.#cleanups = new Cleanups(settings.clock);
  }

  /**
   * One acquire on core's wait loop. Each try is one lock transaction (with a session renew sent
   * alongside when the session's last one is over a third of the TTL old). When it finds the key
   * locked, the loop waits for the key's blocking query to see it deleted or unlocked.
   */
  attempt(key: string, request: AcquireRequest): LockAttempt<ConsulHold> {
    return this.#attempt(key, consulLockKey(this.#settings.prefix, key), this.#value, request);
  }

  /** One acquire of the KV key `path` (a lock's or an election's), written with `value` (base64). */
  #attempt(
    key: string,
    path: string,
    value: string,
    { ttlMs, wait }: AcquireRequest,
  ): LockAttempt<ConsulHold> {
    const watch = new KeyWatch(this.#client, path);
    let owns = false;
    /** A lock transaction whose outcome is unknown (no reply): it may hold the key for our session. */
    let unsure: ConsulSession | undefined;
    let sessionRetries = 0;
    let delayRetryMs = LOCK_DELAY_RETRY_MS;
    let errorRetryMs = ERROR_RETRY_MS;
    /** One try; its errors go to `take`, which keeps a waiter waiting through transient ones. */
    const tryOnce = async (): Promise<TakeOutcome<ConsulHold>> => {
      if (!owns) {
        const other = this.#owners.busy(path);
        if (other !== undefined) return wait ? { retryMs: FALLBACK_RETRY_MS, wake: other } : { retryMs: 0 };
        this.#owners.own(path);
        owns = true;
      }
      let refusal: TakeRefusal;
      for (;;) {
        const current = await this.#sessions.get(ttlMs);
        const fresh = this.#freshen(current, ttlMs);
        if (unsure !== undefined && unsure !== current) {
          // An earlier try's lock got no reply under a session since replaced: free the key from it.
          await this.#releaseKey(path, unsure);
          unsure = undefined;
        }
        const attemptAt = this.#settings.clock.now();
        unsure = current;
        const outcome = await txn(this.#client, lockOps(path, value, current.id)).catch((error) => {
          throw unavailable(`acquire of "${key}"`, error);
        });
        unsure = undefined;
        if (outcome.ok) {
          await fresh;
          const token = BigInt(outcome.entries.at(-1)?.ModifyIndex ?? 0);
          return { hold: this.#held(key, path, value, token, ttlMs, current, attemptAt) };
        }
        refusal = takeRefusal(outcome.errors);
        if (refusal !== 'session') break;
        // Consul ended the session behind our back (destroyed, TTL lapsed while idle): nothing
        // was written; try again on a new session, once.
        this.#sessionLost(current);
        sessionRetries += 1;
        if (sessionRetries > 1)
          throw new BackendUnavailableError('consul', `the session of "${key}" was refused twice`);
      }
      if (!wait) return { retryMs: 0 };
      if (refusal === 'lock-delay') {
        // The key is free but within a lost session's lock-delay: back off, or wake on a change.
        const retryMs = delayRetryMs;
        delayRetryMs = Math.min(delayRetryMs * 2, LOCK_DELAY_RETRY_CAP_MS);
        return { retryMs, wake: watch.change() };
      }
      delayRetryMs = LOCK_DELAY_RETRY_MS;
      return { retryMs: FALLBACK_RETRY_MS, wake: watch.free() };
    };
    return {
      take: async () => {
        watch.stop();
        try {
          return await tryOnce();
        } catch (error) {
          // Consul unreachable or without a leader (an election): a waiter keeps waiting, within
          // its waitMs, and tries again with backoff; a try without waiting fails at once.
          if (!wait || !transient(error)) throw error;
          const retryMs = errorRetryMs;
          errorRetryMs = Math.min(errorRetryMs * 2, ERROR_RETRY_CAP_MS);
          return { retryMs };
        }
      },
      leave: async (late) => {
        watch.stop();
        if (late) {
          await this.release(late).catch(noop);
          return;
        }
        if (!owns) return;
        const maybe = unsure;
        if (maybe === undefined) {
          this.#owners.disown(path);
          return;
        }
        // A lock transaction got no reply: it may have locked the key for our session. Unlock and
        // delete it if our session holds it (never another's), retried while the session lives;
        // the key stays ours locally until then, so no later acquisition of this client races it.
        this.#cleanUp(path, maybe);
      },
    };
  }

  async release(hold: ConsulHold): Promise<boolean> {
    hold.session.holds.delete(hold);
    // Consul ended the session: it deleted the session's keys (Behavior: delete).
    if (hold.session.lost) {
      this.#owners.disown(hold.path);
      return false;
    }
    try {
      const released = await this.#releaseKey(hold.path, hold.session);
      this.#owners.disown(hold.path);
      return released;
    } catch (error) {
      // No reply: keep trying in the background while the session lives, or the key would stay
      // locked as long as other holds keep the session alive.
      this.#cleanUp(hold.path, hold.session);
      throw unavailable(`release of "${hold.key}"`, error);
    }
  }

  extend(requests: readonly ExtendRequest<ConsulHold>[]): Promise<boolean[]> {
    return extendBySession(
      requests,
      async (session) => {
        const alive = await session.renew();
        if (!alive) this.#sessionLost(session);
        return alive;
      },
      (request) => this.#move(request),
    );
  }

  onLoss(report: (hold: ConsulHold, error: LockLostError) => void): void {
    this.#report = report;
  }

  async close(): Promise<void> {
    await this.#cleanups.settle(this.#settings.closeTimeoutMs);
    // Our own sessions only (never the user's client): any key still under them goes at once.
    await bounded(this.#sessions.destroyAll(), this.#settings.closeTimeoutMs);
  }

  /**
   * Unlocks and deletes `path` if `session` holds it, in the background, retried while the session
   * lives (once it is gone, Consul deletes its keys); the key is this client's until then.
   */
  #cleanUp(path: string, session: ConsulSession): void {
    this.#cleanups.run(
      async () => {
        await this.#releaseKey(path, session);
        this.#owners.disown(path);
      },
      () => {
        if (session.alive(0)) return true;
        this.#owners.disown(path);
        return false;
      },
    );
  }

  /** Unlocks and deletes `path` if `session` holds it; `false` when it did not. */
  async #releaseKey(path: string, session: ConsulSession): Promise<boolean> {
    if (session.lost) return false;
    return (await txn(this.#client, releaseOps(path, session.id))).ok;
  }

  #held(
    key: string,
    path: string,
    value: string,
    token: bigint,
    ttlMs: number,
    session: ConsulSession,
    attemptAt: number,
  ): ConsulHold {
    if (session.lost) throw new BackendUnavailableError('consul', `the session of "${key}" ended`);
    // The key is held as long as the session lives: at least `grantedMs` past the send of its last
    // renew (≥ ttlMs). So the deadline (`sentAt + ttlMs`) is at most that, and at most `ttlMs` past
    // the attempt; a renew sent with the attempt makes it the attempt's own send time.
    const sentAt = Math.min(attemptAt, session.confirmedAt + session.grantedMs - ttlMs);
    const hold: ConsulHold = { key, token, sentAt, ttlMs, path, value, session };
    session.holds.add(hold);
    return hold;
  }

  /**
   * A renew in parallel with the lock when the session's last one is over ttl/3 old (a hold dates
   * from it, so it would start with less than ⅔ of its TTL). Not on every try: under contention
   * most tries lose, and a renew each would double the requests a waiter herd sends.
   */
  #freshen(session: ConsulSession, ttlMs: number): Promise<unknown> {
    if (this.#settings.clock.now() - session.confirmedAt <= ttlMs / 3) return Promise.resolve();
    return session.refresh().catch(noop);
  }

  /** An extend past the session's TTL: move the lock to the session of the longer TTL, in one txn. */
  async #move({ hold, ttlMs }: ExtendRequest<ConsulHold>): Promise<boolean> {
    const callStart = this.#settings.clock.now();
    const target = await this.#sessions.get(ttlMs);
    if (target.confirmedAt < callStart && !(await target.renew())) return false;
    const outcome = await txn(this.#client, moveOps(hold.path, hold.value, hold.session.id, target.id));
    hold.session.holds.delete(hold);
    if (!outcome.ok) return false;
    hold.session = target;
    target.holds.add(hold);
    return true;
  }

  /** Consul said the session is gone: every lock taken under it is lost now, not at its next renewal. */
  #sessionLost(session: ConsulSession): void {
    session.lost = true;
    this.#sessions.drop(session);
    const holds = [...session.holds];
    session.holds.clear();
    for (const hold of holds) this.#report(hold, new LockLostError(hold.key, 'expired'));
  }
}

function noop(): void {}
