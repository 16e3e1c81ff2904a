import { type Capabilities, type Clock, LockLostError } from '@locksmith/core';
import type { AcquireRequest, ExtendRequest, LockAttempt, LockProtocol } from '@locksmith/core/protocol';
import type { Pool, QueryConfig } from 'pg';
import { advisoryKey, type SchemaNames } from './postgres-keys.ts';
import type { SchemaReady } from './postgres-schema.ts';
import type { PgSession } from './postgres-session.ts';
import type { SessionHold } from './postgres-session-hold.ts';
import {
  CANCEL_SQL,
  type LockRow,
  PING_SQL,
  trySql,
  UNLOCK_SQL,
  type UnlockRow,
  waitSql,
} from './postgres-session-sql.ts';
import { PgSessions } from './postgres-sessions.ts';
import { tokenFloor } from './postgres-token-floor.ts';

/** Settings of {@link SessionProtocol}, validated by `postgresLocks`. */
export interface SessionProtocolSettings {
  readonly prefix: string;
  readonly names: SchemaNames;
  readonly schema: SchemaReady;
  readonly clock: Clock;
}

/** A cancel is sent again this often while the blocking wait it targets has not ended. */
const CANCEL_RETRY_MS = 100;
/** After this long without the wait ending (or a cancel answering), its connection is destroyed. */
const CANCEL_GIVE_UP_MS = 2_000;

/**
 * Session mode: a lock is a session-level advisory lock (`pg_advisory_lock`) on a connection this
 * client keeps out of the pool until the lock is released. `tryAcquire` is one try-lock; a waiting
 * `acquire` is one blocking `pg_advisory_lock`, queued by the server in arrival order and granted
 * the moment the holder unlocks — no polling, no herd. A wait that times out or is aborted is
 * cancelled with `pg_cancel_backend`; a grant that lands as the cancel does is handed back.
 * The server never expires these locks: `ttlMs` is the client-side lease only (renewed by one
 * round trip per connection), and the lock lives exactly as long as the connection.
 */
export class SessionProtocol implements LockProtocol<SessionHold> {
  readonly backend = 'postgres';
  readonly capabilities: Capabilities = { fencing: 'strict', wait: 'push', fifo: true, primitives: ['lock'] };
  readonly #pool: Pool;
  readonly #settings: SessionProtocolSettings;
  readonly #sessions: PgSessions;
  readonly #try: QueryConfig;
  readonly #wait: QueryConfig;
  readonly #unlock: QueryConfig;
  readonly #pingSql: QueryConfig;
  /** Cancels in flight per advisory key: a release waits for them (see `release`). */
  readonly #cancelling = new Map<string, Set<Promise<boolean>>>();
  #report: (hold: SessionHold, error: LockLostError) => void = () => undefined;

  constructor(pool: Pool, settings: SessionProtocolSettings) {
    this.#pool = pool;
    this.#settings = settings;
    const { prefix, names } = settings;
    this.#sessions = new PgSessions(
      pool,
      (hold, error) => this.#report(hold, error),
      (hold) => new LockLostError(hold.key, 'unreachable'),
      // Each kept connection lifts the sequence before it draws a token: a crash cannot bring it back.
      tokenFloor(prefix, names),
    );
    // Named statements: parsed once per connection, then only bound and executed.
    this.#try = { name: `${prefix}_try`, text: trySql(names.sequence) };
    this.#wait = { name: `${prefix}_wait`, text: waitSql(names.sequence) };
    this.#unlock = { name: `${prefix}_unlock`, text: UNLOCK_SQL };
    this.#pingSql = { name: `${prefix}_ping`, text: PING_SQL };
  }

  attempt(key: string, { ttlMs, wait, signal }: AcquireRequest): LockAttempt<SessionHold> {
    const { clock, schema } = this.#settings;
    const lockKey = advisoryKey(this.#settings.prefix, key).toString();
    /** The connection of a blocking wait, kept until `leave` knows it holds nothing. */
    let waiting: PgSession | undefined;
    let cancels: Promise<boolean> | undefined;
    return {
      take: async () => {
        await schema.ensure();
        // A try first, on a shared connection: a free lock costs one round trip and no connection
        // of its own. It never jumps the server's queue (a request that conflicts with a waiter
        // waits, or fails when it may not), so FIFO order holds.
        const shared = await this.#sessions.take(lockKey, false, ttlMs);
        const sentAt = clock.now();
        try {
          const row = await this.#run(shared, this.#try, lockKey);
          if (row.token !== null) return { hold: this.#held(key, lockKey, row.token, ttlMs, shared, sentAt) };
        } finally {
          this.#sessions.done(shared, lockKey);
        }
        if (!wait) return { retryMs: 0 };
        signal.throwIfAborted();
        const session = await this.#sessions.take(lockKey, true, ttlMs);
        waiting = session;
        signal.throwIfAborted(); // leave hands the unused connection back
        const onAbort = () => {
          cancels = this.#cancel(lockKey, session, statement);
        };
        const statement = this.#run(session, this.#wait, lockKey);
        signal.addEventListener('abort', onAbort, { once: true });
        try {
          const row = await statement;
          // Dated at the grant's arrival: the server never expires the lock, so any local deadline
          // is within the server's; a connection loss is reported on its own.
          const hold = this.#held(key, lockKey, row.token ?? '0', ttlMs, session, clock.now());
          waiting = undefined;
          this.#sessions.done(session, lockKey);
          return { hold };
        } finally {
          signal.removeEventListener('abort', onAbort);
        }
      },
      leave: async (late) => {
        if (late !== undefined) {
          await this.release(late).catch(noop);
          return;
        }
        const session = waiting;
        if (session === undefined) return;
        waiting = undefined;
        // A wait that was cancelled may have been granted just before the cancel landed (the
        // statement then fails, but a session lock survives it): its connection is destroyed
        // (see PgSession.retired) once every cancel sent has answered, freeing what it held.
        if (cancels !== undefined) await cancels;
        this.#sessions.done(session, lockKey);
      },
    };
  }

  /**
   * Unlocks on the hold's own connection. A waiter of this client that gave up is out of the
   * server's queue first: otherwise the unlock could grant the lock to a wait being cancelled,
   * which would hand it back only a round trip later.
   */
  async release(hold: SessionHold): Promise<boolean> {
    const { session } = hold;
    if (!session.holds.delete(hold) || session.dead) return false;
    // Busy with this key until unlocked: a try of the key on this session meanwhile would re-enter.
    session.busy += 1;
    session.pending.add(hold.lockKey);
    try {
      const cancelling = this.#cancelling.get(hold.lockKey);
      if (cancelling !== undefined) await Promise.all(cancelling);
      if (session.dead) return false;
      // A grant that raced a cancel: no statement goes to this connection again. `done` ends it,
      // and the server frees the lock with its session.
      if (session.retired) return true;
      const row = await this.#run<UnlockRow>(session, this.#unlock, hold.lockKey);
      return row.ok;
    } catch (error) {
      // The unlock did not answer: drop the connection, which frees whatever its session held.
      session.fail(error);
      throw error;
    } finally {
      this.#sessions.done(session, hold.lockKey);
    }
  }

  async extend(requests: readonly ExtendRequest<SessionHold>[]): Promise<boolean[]> {
    // One round trip per connection proves every lock on it: the server keeps them as long as
    // the session lives.
    const pings = new Map<PgSession, Promise<boolean>>();
    const alive = requests.map(({ hold }) => {
      let ping = pings.get(hold.session);
      if (ping === undefined) {
        ping = this.#ping(hold.session);
        pings.set(hold.session, ping);
      }
      return ping.then((ok) => ok && hold.session.holds.has(hold));
    });
    return Promise.all(alive);
  }

  onLoss(report: (hold: SessionHold, error: LockLostError) => void): void {
    this.#report = report;
  }

  async close(): Promise<void> {
    this.#sessions.closeAll();
  }

  async #ping(session: PgSession): Promise<boolean> {
    if (session.dead) return false;
    session.busy += 1;
    try {
      const { rows } = await session.client.query<{ pid: number }>(this.#pingSql);
      session.expectPid(rows[0]?.pid ?? 0);
      return true;
    } catch (error) {
      session.fail(error);
      return false;
    } finally {
      this.#sessions.done(session, '');
    }
  }

  async #run<R extends { pid: number } = LockRow>(
    session: PgSession,
    statement: QueryConfig,
    lockKey: string,
  ): Promise<R> {
    let rows: R[];
    try {
      ({ rows } = await session.client.query<R>({ ...statement, values: [lockKey] }));
    } catch (error) {
      // The lock may have been taken before the statement failed: never reuse the connection.
      session.retired = true;
      throw error;
    }
    const row = rows[0];
    if (row === undefined) throw new Error('a lock statement returned no row');
    session.expectPid(row.pid);
    return row;
  }

  #held(
    key: string,
    lockKey: string,
    token: string,
    ttlMs: number,
    session: PgSession,
    sentAt: number,
  ): SessionHold {
    const hold: SessionHold = { key, lockKey, token: BigInt(token), sentAt, ttlMs, session };
    session.holds.add(hold);
    return hold;
  }

  /**
   * Cancels the blocking wait on `session` until it ends: a cancel that reaches the backend
   * before the statement does is ignored, so it is sent again. Resolves whether every cancel sent
   * has answered (`pg_cancel_backend` returns once the signal is delivered, so none can land later).
   */
  #cancel(lockKey: string, session: PgSession, statement: Promise<unknown>): Promise<boolean> {
    session.retired = true;
    const set = this.#cancelling.get(lockKey) ?? new Set();
    this.#cancelling.set(lockKey, set);
    const cancel = this.#cancelUntilEnded(session, statement);
    set.add(cancel);
    void cancel.finally(() => {
      set.delete(cancel);
      if (set.size === 0 && this.#cancelling.get(lockKey) === set) this.#cancelling.delete(lockKey);
    });
    return cancel;
  }

  async #cancelUntilEnded(session: PgSession, statement: Promise<unknown>): Promise<boolean> {
    const { clock } = this.#settings;
    const ended = statement.then(
      () => true,
      () => true,
    );
    const giveUpAt = clock.now() + CANCEL_GIVE_UP_MS;
    for (;;) {
      const sent = this.#pool.query(CANCEL_SQL, [session.pid]).then(
        () => 'answered' as const,
        () => 'failed' as const,
      );
      // A cancel still pending could land on a later statement: the caller then drops the connection.
      const outcome = await Promise.race([sent, after(CANCEL_GIVE_UP_MS, 'pending' as const)]);
      if (outcome === 'pending') return false;
      if (await Promise.race([ended, after(CANCEL_RETRY_MS, false)])) return true;
      if (clock.now() > giveUpAt) return false;
    }
  }
}

/** Resolves `value` after `ms` (an unref'd timer). */
function after<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(value), ms);
    timer.unref?.();
  });
}

function noop(): void {}
