import type { LockLostError } from '@locksmith/core';
import type { Pool, PoolClient } from 'pg';
import { PgSession } from './postgres-session.ts';
import type { SessionHold } from './postgres-session-hold.ts';
import type { TokenFloor } from './postgres-token-floor.ts';

/**
 * The connections a session-mode client keeps: one per lock waiting in the server's queue (a
 * blocking statement occupies its connection), and as few as possible for held locks — a try
 * reuses any idle kept connection that does not already hold that key (advisory locks are
 * re-entrant per session, ours must not be). A connection holding nothing goes back to the pool.
 */
/** Kept connections past which tries queue behind each other rather than open another. */
const MAX_SHARED = 4;
/** How long an idle, empty connection is kept before it goes back to the pool. */
const SPARE_MS = 1_000;

export class PgSessions {
  readonly #all = new Set<PgSession>();
  /** An idle, empty connection kept for the next statement (see {@link settle}). */
  #spare: PgSession | undefined;
  #spareTimer: ReturnType<typeof setTimeout> | undefined;
  /** `pool.connect()` calls in flight. */
  readonly #opening = new Set<Promise<PoolClient>>();

  constructor(
    private readonly pool: Pool,
    private readonly report: (hold: SessionHold, error: LockLostError) => void,
    private readonly lost: (hold: SessionHold) => LockLostError,
    private readonly floor: TokenFloor,
  ) {}

  /**
   * A connection for one statement on `lockKey`, marked busy until {@link done}.
   * `wait`: a blocking wait, which needs an idle connection of its own that holds nothing (the
   * statement occupies it, and would delay the release of anything it held). A try takes the
   * least busy kept connection that neither holds nor is trying `lockKey` (advisory locks are
   * re-entrant per session; ours must not be), queueing behind its statement once this client
   * keeps {@link MAX_SHARED} connections, so many held locks share few connections.
   */
  async take(lockKey: string, wait: boolean, ttlMs: number): Promise<PgSession> {
    let session: PgSession | undefined;
    while (session === undefined) {
      let best: PgSession | undefined;
      for (const s of this.#all) {
        if (s.dead || s.retired || s.waiting || s.pending.has(lockKey)) continue;
        if (wait ? s.busy > 0 || s.holds.size > 0 : [...s.holds].some((h) => h.lockKey === lockKey)) continue;
        if (best === undefined || s.busy < best.busy) best = s;
      }
      // Connections being opened count too: many tries at once must not each open one (they
      // would hold the pool's connections, and the pool would wait for one of them forever).
      const full = this.#all.size + this.#opening.size >= MAX_SHARED;
      if (best !== undefined && (wait || best.busy === 0 || full)) session = mark(best, lockKey, wait);
      else if (!wait && full && this.#opening.size > 0) await Promise.race(this.#opening).catch(noop);
      else session = await this.#open(lockKey, wait);
    }
    try {
      const checking = session.check(ttlMs);
      if (checking !== undefined) await checking;
    } catch (error) {
      this.done(session, lockKey);
      session.fail(error);
      this.#all.delete(session);
      throw error;
    }
    return session;
  }

  /** A new connection from the pool, marked for `lockKey` before anyone else can see it. */
  async #open(lockKey: string, wait: boolean): Promise<PgSession> {
    const connecting = this.pool.connect();
    this.#opening.add(connecting);
    let client: PoolClient;
    try {
      client = await connecting;
    } finally {
      this.#opening.delete(connecting);
    }
    const session = mark(new PgSession(client, this.report, this.lost, this.floor), lockKey, wait);
    this.#all.add(session);
    return session;
  }

  /** A statement on `session` ended: hand it back to the pool when it holds nothing. */
  done(session: PgSession, lockKey: string): void {
    session.busy = Math.max(0, session.busy - 1);
    session.pending.delete(lockKey);
    session.waiting = false;
    this.settle(session);
  }

  /**
   * Forgets a dead session. An idle one that holds nothing is kept as the one spare for up to
   * {@link SPARE_MS} (a lock taken and released in a loop then costs no pool checkout), and
   * given back to the pool after that, or at once when there is already a spare.
   */
  settle(session: PgSession): void {
    if (session.dead) {
      this.#all.delete(session);
      return;
    }
    if (session.busy > 0 || session.holds.size > 0) return;
    if (!session.retired && (this.#spare === undefined || this.#spare === session)) {
      this.#spare = session;
      clearTimeout(this.#spareTimer);
      this.#spareTimer = setTimeout(() => {
        this.#spare = undefined;
        if (!session.dead && session.busy === 0 && session.holds.size === 0) {
          this.#all.delete(session);
          session.giveBack();
        }
      }, SPARE_MS);
      this.#spareTimer.unref?.();
      return;
    }
    this.#all.delete(session);
    session.giveBack();
  }

  /** Gives back or destroys every connection (after core released the holds). */
  closeAll(): void {
    clearTimeout(this.#spareTimer);
    this.#spare = undefined;
    for (const s of this.#all) {
      if (s.busy === 0 && s.holds.size === 0) s.giveBack();
      else s.fail(new Error('the lock client was closed'));
    }
    this.#all.clear();
  }
}

/** Marks `session` busy with a statement on `lockKey` (synchronously with its choice). */
function mark(session: PgSession, lockKey: string, wait: boolean): PgSession {
  session.busy += 1;
  session.pending.add(lockKey);
  session.waiting = wait;
  return session;
}

function noop(): void {}
