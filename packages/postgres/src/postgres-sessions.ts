import type { LockLostError } from '@locksmith/core';
import type { Pool } from 'pg';
import { PgSession } from './postgres-session.ts';
import type { SessionHold } from './postgres-session-hold.ts';

/**
 * The connections a session-mode client keeps: one per lock waiting in the server's queue (a
 * blocking statement occupies its connection), and as few as possible for held locks — a try
 * reuses any idle kept connection that does not already hold that key (advisory locks are
 * re-entrant per session, ours must not be). A connection holding nothing goes back to the pool.
 */
/** Kept connections past which tries queue behind each other rather than open another. */
const MAX_SHARED = 4;

export class PgSessions {
  readonly #all = new Set<PgSession>();

  constructor(
    private readonly pool: Pool,
    private readonly report: (hold: SessionHold, error: LockLostError) => void,
    private readonly lost: (hold: SessionHold) => LockLostError,
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
    let best: PgSession | undefined;
    for (const s of this.#all) {
      if (s.dead || s.retired || s.waiting || s.pending.has(lockKey)) continue;
      if (wait ? s.busy > 0 || s.holds.size > 0 : [...s.holds].some((h) => h.lockKey === lockKey)) continue;
      if (best === undefined || s.busy < best.busy) best = s;
    }
    const session =
      best !== undefined && (wait || best.busy === 0 || this.#all.size >= MAX_SHARED)
        ? best
        : await this.#open();
    session.busy += 1;
    session.pending.add(lockKey);
    session.waiting = wait;
    try {
      await session.check(ttlMs);
    } catch (error) {
      this.done(session, lockKey);
      session.fail(error);
      this.#all.delete(session);
      throw error;
    }
    return session;
  }

  async #open(): Promise<PgSession> {
    const client = await this.pool.connect();
    const session = new PgSession(client, this.report, this.lost);
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

  /** Forgets a dead session; gives back an idle one that holds nothing. */
  settle(session: PgSession): void {
    if (session.dead) this.#all.delete(session);
    else if (session.busy === 0 && session.holds.size === 0) {
      this.#all.delete(session);
      session.giveBack();
    }
  }

  /** Gives back or destroys every connection (after core released the holds). */
  closeAll(): void {
    for (const s of this.#all) {
      if (s.busy === 0 && s.holds.size === 0) s.giveBack();
      else s.fail(new Error('the lock client was closed'));
    }
    this.#all.clear();
  }
}
