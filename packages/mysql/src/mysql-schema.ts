import { bounded } from '@locksmith/core/protocol';
import type { Pool } from 'mysql2/promise';

/**
 * The server's clock in microseconds since the epoch, exact (no float) and independent of the
 * session's time zone. Constant within one statement.
 */
export const NOW_US = "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6))";

/** Rows untouched (tokens) or expired (leases) this long are pruned; tokens then restart from the server clock in µs. */
export const PRUNE_AFTER_US = 3_600_000_000; // 1 hour
/** One prune deletes at most this many rows, so it never holds many row locks. */
const PRUNE_LIMIT = 500;

/** The package's two tables, named `<table>_tokens` and `<table>_leases`. */
export interface Tables {
  readonly tokens: string;
  readonly leases: string;
}

export function tablesFor(prefix: string): Tables {
  return { tokens: `\`${prefix}_tokens\``, leases: `\`${prefix}_leases\`` };
}

/**
 * Creates the tables when missing (needs CREATE on the database; afterwards only SELECT, INSERT,
 * UPDATE, DELETE). Idempotent. `name` is binary: lock names compare byte for byte.
 *
 * The token counters of session mode live in a MEMORY table: bumping one costs no disk flush
 * (an InnoDB row costs a redo-log fsync per acquisition, ~10× the lock itself here). A restart
 * empties it; the next token is then the server's clock in µs, above every earlier token (which
 * were at most the clock of their time, plus one per acquisition within the same µs). The lease
 * rows are the locks of lease mode, so they are InnoDB: a lease survives a restart.
 */
export async function createTables(pool: Pool, tables: Tables): Promise<void> {
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${tables.tokens} (
       name VARBINARY(256) NOT NULL PRIMARY KEY,
       token BIGINT UNSIGNED NOT NULL,
       touched_us BIGINT NOT NULL,
       KEY by_touched (touched_us) USING BTREE
     ) ENGINE=MEMORY`,
  );
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

/** Deletes token rows untouched and lease rows expired for over {@link PRUNE_AFTER_US}. */
export async function prune(pool: Pool, tables: Tables): Promise<void> {
  await pool.query(`DELETE FROM ${tables.tokens} WHERE touched_us < ${NOW_US} - ? LIMIT ${PRUNE_LIMIT}`, [
    PRUNE_AFTER_US,
  ]);
  await pool.query(`DELETE FROM ${tables.leases} WHERE expires_us < ${NOW_US} - ? LIMIT ${PRUNE_LIMIT}`, [
    PRUNE_AFTER_US,
  ]);
}

/** How often a lock client prunes old rows, at most (triggered by an acquire, in the background). */
const PRUNE_EVERY_MS = 600_000;

/**
 * The schema as one lock client uses it: created once on first use (when `migrate` is on), and
 * pruned in the background at most every 10 minutes, so nothing written stays forever.
 */
export class SchemaUse {
  readonly #pool: Pool;
  readonly tables: Tables;
  readonly #migrate: boolean;
  #ready: Promise<void> | undefined;
  #prunedAt = Number.NEGATIVE_INFINITY;
  #pruning: Promise<void> | undefined;

  constructor(pool: Pool, tables: Tables, migrate: boolean) {
    this.#pool = pool;
    this.tables = tables;
    this.#migrate = migrate;
  }

  /** Resolves once the tables exist (or at once without `migrate`); a failure is retried next time. */
  ready(): Promise<void> {
    if (!this.#migrate) return Promise.resolve();
    this.#ready ??= createTables(this.#pool, this.tables).catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  /** Starts a prune when the last one is old enough; never rejects. */
  maybePrune(now: number): void {
    if (this.#pruning !== undefined || now - this.#prunedAt < PRUNE_EVERY_MS) return;
    this.#prunedAt = now;
    this.#pruning = prune(this.#pool, this.tables)
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
