import { BackendUnavailableError, type Capabilities, type Clock, LockLostError } from '@locksmith/core';
import type {
  AcquireRequest,
  ExtendRequest,
  Hold,
  LockAttempt,
  LockProtocol,
} from '@locksmith/core/protocol';
import type { Pool, ResultSetHeader } from 'mysql2/promise';
import { type KeptConnection, MysqlConnections } from './mysql-connections.ts';
import { SessionPoolerError } from './mysql-errors.ts';
import { mysqlLockName } from './mysql-names.ts';
import { type Flavor, NOW_US, raiseSequence, type SchemaUse, type Tables } from './mysql-schema.ts';

/** A lock held in session mode: a `GET_LOCK` on a connection kept for it. */
export interface MysqlSessionHold extends Hold {
  /** The server-side lock name ({@link mysqlLockName}). */
  readonly name: string;
  readonly kept: KeptConnection;
}

/** Settings of {@link MysqlSessionProtocol}, validated by `mysqlLocks`. */
export interface MysqlProtocolSettings {
  readonly prefix: string;
  readonly clock: Clock;
  readonly schema: SchemaUse;
}

/**
 * A blocking wait is one `GET_LOCK` of at most this many seconds, then queued again: a waiter
 * whose client died leaves the server's queue within that time, and an abort that cannot reach
 * the server (a pool with no free connection for the KILL) still ends.
 */
export const WAIT_CHUNK_S = 60;
/** `close()` waits at most this long for a background prune. */
const CLOSE_TIMEOUT_MS = 2_000;

/** Refuses a name this connection already holds: GET_LOCK is re-entrant per connection. */
const NOT_MINE = 'NOT (IS_USED_LOCK(?) <=> CONNECTION_ID())';

/**
 * Take the lock and its token in one statement. GET_LOCK runs first and the token is drawn only
 * once it returned 1, under the lock (so successive holders of a key draw increasing tokens).
 * MariaDB: `NEXTVAL` of the token sequence (no disk write per token; each connection lifts it to
 * the server's clock first, `raiseSequence`, so a crash cannot bring it back). MySQL: the key's
 * InnoDB counter row, bumped by an INSERT whose SELECT from DUAL reads no table while GET_LOCK
 * waits (a MEMORY or MyISAM table would be locked whole for the wait, stalling every other key).
 * Either way the token never goes back, and never falls below the server's clock in µs when the
 * connection drawing it was opened (MariaDB) or when it is drawn (MySQL).
 */
export function acquireSql(flavor: Flavor, tables: Tables): string {
  if (flavor === 'mariadb') {
    return `SELECT IF(${NOT_MINE} AND GET_LOCK(?, ?) = 1, NEXTVAL(${tables.sequence}), NULL) AS token`;
  }
  return (
    `INSERT INTO ${tables.tokens} (name, token, touched_us) ` +
    `SELECT ?, LAST_INSERT_ID(${NOW_US}), ${NOW_US} FROM DUAL ` +
    `WHERE ${NOT_MINE} AND GET_LOCK(?, ?) = 1 ` +
    `ON DUPLICATE KEY UPDATE token = LAST_INSERT_ID(GREATEST(token + 1, ${NOW_US})), touched_us = ${NOW_US}`
  );
}

/** Runs the acquire statement; resolves the token, or `undefined` when the lock was not taken. */
async function runAcquire(
  kept: KeptConnection,
  flavor: Flavor,
  sql: string,
  name: string,
  timeoutS: number,
): Promise<bigint | undefined> {
  if (flavor === 'mariadb') {
    const [rows] = await kept.conn.query(sql, [name, name, timeoutS]);
    const token = (rows as { token: number | string | null }[])[0]?.token;
    return token === null || token === undefined ? undefined : BigInt(token);
  }
  const [result] = await kept.conn.query<ResultSetHeader>(sql, [name, name, name, timeoutS]);
  return result.affectedRows > 0 && BigInt(result.insertId) > 0n ? BigInt(result.insertId) : undefined;
}

/**
 * Session mode: a lock is a `GET_LOCK` held by a connection this client takes out of the user's
 * pool and keeps for it; waiting is the server's own queue (a blocking `GET_LOCK`), cancelled by
 * killing the waiting connection. A lost connection loses its locks at once (the server frees them
 * when it sees the connection go; the client reports them lost when its socket closes).
 */
export class MysqlSessionProtocol implements LockProtocol<MysqlSessionHold> {
  readonly backend = 'mysql';
  readonly capabilities: Capabilities = {
    fencing: 'strict',
    wait: 'push',
    fifo: false,
    primitives: ['lock'],
  };
  readonly #pool: Pool;
  readonly #settings: MysqlProtocolSettings;
  readonly #connections: MysqlConnections;
  readonly #acquireSql = new Map<Flavor, string>();
  /** KILLs under way: close() waits for them. */
  readonly #kills = new Set<Promise<void>>();
  #report: (hold: MysqlSessionHold, error: LockLostError) => void = () => undefined;

  constructor(pool: Pool, settings: MysqlProtocolSettings) {
    this.#pool = pool;
    this.#settings = settings;
    const { schema } = settings;
    this.#connections = new MysqlConnections(
      pool,
      (kept, error) => {
        const holds = [...kept.holds] as MysqlSessionHold[];
        kept.holds.clear();
        for (const hold of holds)
          this.#report(hold, new LockLostError(hold.key, 'expired', { cause: error }));
      },
      // A crash can take the sequence's last write with it: each connection lifts it first.
      async (kept) => {
        if ((await schema.ready()) === 'mariadb') await raiseSequence(kept.conn, schema.tables);
      },
    );
  }

  /**
   * One acquire: a kept connection runs the acquire statement, with `GET_LOCK(name, 0)` for a try
   * or a blocking `GET_LOCK` (the server's queue) for a wait. An abort during a blocking wait
   * kills the waiting connection from another one: the server drops it from the queue, and a
   * grant that raced the kill dies with the connection (leave(late) then finds it gone).
   */
  attempt(key: string, { ttlMs, wait, signal }: AcquireRequest): LockAttempt<MysqlSessionHold> {
    const { clock, schema } = this.#settings;
    const name = mysqlLockName(this.#settings.prefix, key);
    let kept: KeptConnection | undefined;
    let blocking: KeptConnection | undefined;
    let killing: Promise<void> | undefined;
    const onAbort = () => {
      if (blocking !== undefined) killing ??= this.#kill(blocking);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    return {
      take: async () => {
        const flavor = await schema.ready();
        kept ??= await this.#connections.get(ttlMs);
        const conn = kept;
        schema.maybePrune(clock.now());
        // The caller may have given up while a connection was found: send nothing then.
        if (signal.aborted) return { retryMs: 0 };
        blocking = wait ? conn : undefined;
        let token: bigint | undefined;
        try {
          token = await runAcquire(conn, flavor, this.#sql(flavor), name, wait ? WAIT_CHUNK_S : 0);
        } catch (error) {
          // The reply is lost or the statement failed: the connection may hold the lock. Closing
          // it makes the server free whatever it holds.
          this.#connections.discard(conn);
          kept = undefined;
          if (signal.aborted) return { retryMs: 0 };
          throw error;
        } finally {
          blocking = undefined;
        }
        // Dated from the reply: the server's idle clock (wait_timeout) starts as it sends it.
        const receivedAt = clock.now();
        if (token !== undefined) {
          // A grant after a wait may be the lock of a holder connection the server just dropped:
          // one event-loop turn lets that socket's close (already received) mark its lease lost
          // first, when both clients share this process.
          if (wait) await new Promise<void>((resolve) => setImmediate(resolve));
          kept = undefined;
          const hold: MysqlSessionHold = { key, token, sentAt: receivedAt, ttlMs, name, kept: conn };
          conn.holds.add(hold);
          if (conn.lost) throw new BackendUnavailableError('mysql', `the connection holding "${key}" closed`);
          return { hold };
        }
        // Busy (a try), or a blocking wait that ran out its chunk or was killed: try again at once.
        return { retryMs: 0 };
      },
      leave: async (late) => {
        signal.removeEventListener('abort', onAbort);
        await killing;
        if (late !== undefined) {
          await this.release(late).catch(() => undefined);
          return;
        }
        if (kept === undefined) return;
        // A killed connection is gone; any other one holds nothing (its GET_LOCK returned 0).
        if (killing !== undefined) this.#connections.discard(kept);
        else this.#connections.put(kept);
      },
    };
  }

  async release(hold: MysqlSessionHold): Promise<boolean> {
    const kept = hold.kept;
    kept.holds.delete(hold);
    if (kept.lost) return false;
    // A waiter of this client that gave up may still sit in the server's queue until its KILL
    // lands: let it go first, or this release would hand the lock to a dying connection.
    if (this.#kills.size > 0) await Promise.allSettled([...this.#kills]);
    let row: { r: number | null; id: number } | undefined;
    try {
      const [rows] = await kept.conn.query('SELECT RELEASE_LOCK(?) AS r, CONNECTION_ID() AS id', [hold.name]);
      row = (rows as { r: number | null; id: number }[])[0];
    } catch (error) {
      // Closing the connection frees the lock on the server as soon as it sees the close.
      this.#connections.discard(kept);
      throw error;
    }
    if (Number(row?.id) !== kept.id) {
      this.#connections.discard(kept);
      throw new SessionPoolerError([kept.id, Number(row?.id)]);
    }
    this.#connections.put(kept);
    return row?.r === 1;
  }

  /**
   * A renewal is a statement on the holder's connection that checks the lock is still its own:
   * it restarts the server's idle clock (`wait_timeout`, raised first for a longer TTL). A failed
   * statement means a broken connection, whose locks the server drops: lost, not unreachable.
   */
  async extend(requests: readonly ExtendRequest<MysqlSessionHold>[]): Promise<boolean[]> {
    return Promise.all(
      requests.map(async ({ hold, ttlMs }) => {
        const kept = hold.kept;
        if (kept.lost || !kept.holds.has(hold)) return false;
        try {
          await this.#connections.setWaitTimeout(kept, ttlMs);
          const [rows] = await kept.conn.query(
            'SELECT IS_USED_LOCK(?) <=> CONNECTION_ID() AS mine, CONNECTION_ID() AS id',
            [hold.name],
          );
          const row = (rows as { mine: number; id: number }[])[0];
          if (Number(row?.id) !== kept.id) throw new SessionPoolerError([kept.id, Number(row?.id)]);
          return Number(row?.mine) === 1;
        } catch {
          this.#connections.discard(kept);
          return false;
        }
      }),
    );
  }

  onLoss(report: (hold: MysqlSessionHold, error: LockLostError) => void): void {
    this.#report = report;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#kills]);
    await this.#settings.schema.settle(CLOSE_TIMEOUT_MS);
    this.#connections.closeAll();
  }

  #sql(flavor: Flavor): string {
    let sql = this.#acquireSql.get(flavor);
    if (sql === undefined) {
      sql = acquireSql(flavor, this.#settings.schema.tables);
      this.#acquireSql.set(flavor, sql);
    }
    return sql;
  }

  /**
   * Kills a waiting connection from another pool connection. Its statement then fails, which
   * discards it here (destroying it first would leave mysql2's pending query unsettled).
   */
  #kill(kept: KeptConnection): Promise<void> {
    const id = kept.id;
    const work = this.#pool
      .query(`KILL CONNECTION ${Number(id)}`)
      .then(
        () => undefined,
        () => undefined, // already gone
      )
      .finally(() => {
        this.#kills.delete(work);
      });
    this.#kills.add(work);
    return work;
  }
}
