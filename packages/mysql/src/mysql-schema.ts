import { bounded } from '@locksmith/core/protocol';
import type { Pool, PoolConnection } from 'mysql2/promise';

/**
 * The server's clock in microseconds since the epoch, exact (no float) and independent of the
 * session's time zone. Constant within one statement.
 */
export const NOW_US = "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6))";

/** Rows untouched (tokens) or expired (leases) this long are pruned; tokens then restart from the server clock in µs. */
export const PRUNE_AFTER_US = 3_600_000_000; // 1 hour
/** One prune deletes at most this many rows, so it never holds many row locks. */
const PRUNE_LIMIT = 500;
/** Token values a MariaDB sequence hands out from memory between two writes of its state. */
const SEQUENCE_CACHE = 1000;

/** The package's schema objects: `<table>_leases`, and `<table>_token_seq` or `<table>_tokens`. */
export interface Tables {
  /** MariaDB: the sequence that numbers session-mode tokens. */
  readonly sequence: string;
  /** MySQL: the per-key counters of session-mode tokens. */
  readonly tokens: string;
  readonly leases: string;
  /** The same names unquoted, as information_schema lists them. */
  readonly names: { readonly sequence: string; readonly tokens: string; readonly leases: string };
}

export function tablesFor(prefix: string): Tables {
  const names = { sequence: `${prefix}_token_seq`, tokens: `${prefix}_tokens`, leases: `${prefix}_leases` };
  return {
    sequence: `\`${names.sequence}\``,
    tokens: `\`${names.tokens}\``,
    leases: `\`${names.leases}\``,
    names,
  };
}

/**
 * Session-mode tokens come from a sequence on MariaDB (10.3+) and from an InnoDB counter row on
 * MySQL, which has no sequences.
 */
export type Flavor = 'mariadb' | 'mysql';

/** Which server the pool reaches, from `VERSION()`. */
export async function detectFlavor(pool: Pool): Promise<Flavor> {
  const [rows] = await pool.query('SELECT VERSION() AS v');
  return /mariadb/i.test(String((rows as { v: string }[])[0]?.v)) ? 'mariadb' : 'mysql';
}

/**
 * Creates what is missing (needs CREATE on the database; afterwards SELECT, INSERT, UPDATE,
 * DELETE). Idempotent. `name` columns are binary: lock names compare byte for byte.
 *
 * MariaDB: a sequence, started at the server's clock in µs, numbers the session-mode tokens.
 * `NEXTVAL` hands values out from memory and writes the sequence's state once per
 * {@link SEQUENCE_CACHE} values, so a token costs no disk flush (see {@link raiseSequence} for
 * why a crash cannot make it go back). MySQL: one InnoDB row per key, bumped in the acquire
 * statement (a redo-log flush per acquisition).
 */
export async function createTables(pool: Pool, tables: Tables, flavor?: Flavor): Promise<void> {
  const kind = flavor ?? (await detectFlavor(pool));
  // Existing objects are found in information_schema, which takes no metadata lock: even
  // `CREATE ... IF NOT EXISTS` waits for an exclusive metadata lock, i.e. for every waiter blocked
  // in GET_LOCK (whose statement has the sequence open), and stalls every acquire queued behind it.
  const wanted = [kind === 'mariadb' ? tables.names.sequence : tables.names.tokens, tables.names.leases];
  const [found] = await pool.query(
    'SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (?, ?)',
    wanted,
  );
  if ((found as { t: string }[]).length === wanted.length) return;
  if (kind === 'mariadb') {
    const [rows] = await pool.query(`SELECT ${NOW_US} AS now`);
    const start = BigInt(String((rows as { now: number | string }[])[0]?.now));
    await pool.query(
      `CREATE SEQUENCE IF NOT EXISTS ${tables.sequence} START WITH ${start} CACHE ${SEQUENCE_CACHE} ENGINE=InnoDB`,
    );
  } else {
    await pool.query(
      `CREATE TABLE IF NOT EXISTS ${tables.tokens} (
         name VARBINARY(256) NOT NULL PRIMARY KEY,
         token BIGINT UNSIGNED NOT NULL,
         touched_us BIGINT NOT NULL,
         KEY by_touched (touched_us)
       ) ENGINE=InnoDB`,
    );
  }
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${tables.leases} (
       name VARBINARY(256) NOT NULL PRIMARY KEY,
       holder VARBINARY(32) NOT NULL,
       expires_us BIGINT NOT NULL,
       token BIGINT UNSIGNED NOT NULL,
       KEY by_expiry (expires_us)
     ) ENGINE=InnoDB`,
  );
}

/**
 * MariaDB: lifts the token sequence to the server's clock in µs (`SETVAL` does nothing when it is
 * already past it). Session mode runs it on each connection it keeps, before the connection draws
 * a token. The sequence's write of a new cache block reaches the disk only with InnoDB's next log
 * flush (up to a second later): a crash before that brings the sequence back to tokens already
 * handed out (measured: a `kill -9` right after the first `NEXTVAL` of a new sequence, and the
 * first token after the restart equalled it). Every connection that draws a token after a restart
 * was opened after it, so its tokens start above the clock then, past every earlier token (one
 * token per µs is far more than a server grants).
 */
export async function raiseSequence(conn: PoolConnection, tables: Tables): Promise<void> {
  const [rows] = await conn.query(`SELECT ${NOW_US} AS now`);
  const now = BigInt(String((rows as { now: number | string }[])[0]?.now));
  // SETVAL takes only a literal.
  await conn.query(`SELECT SETVAL(${tables.sequence}, ${now})`);
}

/** Deletes token rows untouched and lease rows expired for over {@link PRUNE_AFTER_US}. */
export async function prune(pool: Pool, tables: Tables, flavor: Flavor): Promise<void> {
  if (flavor === 'mysql') {
    await pool.query(`DELETE FROM ${tables.tokens} WHERE touched_us < ${NOW_US} - ? LIMIT ${PRUNE_LIMIT}`, [
      PRUNE_AFTER_US,
    ]);
  }
  await pool.query(`DELETE FROM ${tables.leases} WHERE expires_us < ${NOW_US} - ? LIMIT ${PRUNE_LIMIT}`, [
    PRUNE_AFTER_US,
  ]);
}

/** How often a lock client prunes old rows, at most (triggered by an acquire, in the background). */
const PRUNE_EVERY_MS = 600_000;

/**
 * The schema as one lock client uses it: the server's flavor read once, the schema created once on
 * first use (when `migrate` is on), and old rows pruned in the background at most every 10
 * minutes, so nothing written stays forever.
 */
export class SchemaUse {
  readonly #pool: Pool;
  readonly tables: Tables;
  readonly #migrate: boolean;
  #ready: Promise<Flavor> | undefined;
  #flavor: Flavor | undefined;
  #prunedAt = Number.NEGATIVE_INFINITY;
  #pruning: Promise<void> | undefined;

  constructor(pool: Pool, tables: Tables, migrate: boolean) {
    this.#pool = pool;
    this.tables = tables;
    this.#migrate = migrate;
  }

  /** Resolves the server's flavor once the schema exists; a failure is retried next time. */
  ready(): Promise<Flavor> {
    this.#ready ??= (async () => {
      const flavor = await detectFlavor(this.#pool);
      if (this.#migrate) await createTables(this.#pool, this.tables, flavor);
      this.#flavor = flavor;
      return flavor;
    })().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  /** Starts a prune when the last one is old enough; never rejects. */
  maybePrune(now: number): void {
    const flavor = this.#flavor;
    if (flavor === undefined || this.#pruning !== undefined || now - this.#prunedAt < PRUNE_EVERY_MS) return;
    this.#prunedAt = now;
    this.#pruning = prune(this.#pool, this.tables, flavor)
      .catch(() => undefined)
      .finally(() => {
        this.#pruning = undefined;
      });
  }

  /**
   * Waits for a prune under way, at most `timeoutMs` (close() calls it). A pool whose every
   * connection is kept by session mode runs it only once one is free.
   */
  async settle(timeoutMs: number): Promise<void> {
    if (this.#pruning !== undefined) await bounded(this.#pruning, timeoutMs);
  }
}
