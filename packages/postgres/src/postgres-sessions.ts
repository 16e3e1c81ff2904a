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
export class PgSessions {
  readonly #all = new Set<PgSession>();

  constructor(
    private readonly pool: Pool,
    private readonly report: (hold: SessionHold, error: LockLostError) => void,
    private readonly lost: (hold: SessionHold) => LockLostError,
  ) {}

  /**
   * A connection for one statement on `lockKey`, marked busy until {@link done}. `empty`: it must
   * hold nothing (a blocking wait, which would otherwise delay the release of what it holds).
   */
  async take(lockKey: string, empty: boolean, ttlMs: number): Promise<PgSession> {
    for (const s of this.#all) {
      if (s.dead || s.retired || s.busy > 0 || (empty && s.holds.size > 0)) continue;
      if ([...s.holds].some((h) => h.lockKey === lockKey)) continue;
      s.busy += 1;
      try {
        await s.check(ttlMs);
      } catch (error) {
        s.busy -= 1;
        s.fail(error);
        throw error;
      }
      return s;
    }
    const client = await this.pool.connect();
    const session = new PgSession(client, this.report, this.lost);
    session.busy = 1;
    this.#all.add(session);
    try {
      await session.check(ttlMs);
    } catch (error) {
      session.busy = 0;
      session.fail(error);
      this.#all.delete(session);
      throw error;
    }
    return session;
  }

  /** A statement on `session` ended: hand it back to the pool when it holds nothing. */
  done(session: PgSession): void {
    session.busy = Math.max(0, session.busy - 1);
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
