import type { Pool } from 'pg';
import { DEFAULT_PREFIX, type SchemaNames, schemaNames, validatePrefix } from './postgres-keys.ts';

/** Options of {@link migratePostgresLocks}. */
export interface MigrateOptions {
  /** The same prefix as the lock clients'. @defaultValue `'locksmith'` */
  readonly prefix?: string;
}

/**
 * Creates what the locks need, in the first schema of the connection's `search_path`: the token
 * sequence `<prefix>_token` (both modes) and the lease table `<prefix>_lease` (lease mode).
 * Idempotent. Needs `CREATE` on that schema; run it once as the owner when the application's role
 * may not create objects, then give that role `USAGE, UPDATE` on the sequence and
 * `SELECT, INSERT, UPDATE, DELETE` on the table. A lock client runs the same on first use when an
 * object is missing (see `PostgresLocksOptions.migrate`).
 */
export async function migratePostgresLocks(pool: Pool, options: MigrateOptions = {}): Promise<void> {
  const prefix = options.prefix === undefined ? DEFAULT_PREFIX : validatePrefix(options.prefix);
  await createSchema(pool, schemaNames(prefix));
}

/** Which of the objects exist: one catalog read (no `CREATE` privilege needed). */
export async function schemaExists(pool: Pool, names: SchemaNames): Promise<boolean> {
  const { rows } = await pool.query<{ ok: boolean }>(
    'SELECT to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL AS ok',
    [names.sequence, names.table],
  );
  return rows[0]?.ok === true;
}

/**
 * `CREATE … IF NOT EXISTS` of the sequence and the table. Two clients creating them at once can
 * collide in the catalog (unique violation): the loser tries once more and then finds them.
 */
export async function createSchema(pool: Pool, names: SchemaNames): Promise<void> {
  const sql = `CREATE SEQUENCE IF NOT EXISTS ${names.sequence} AS bigint NO CYCLE;
CREATE TABLE IF NOT EXISTS ${names.table} (
  key text PRIMARY KEY,
  holder text NOT NULL,
  token bigint NOT NULL,
  expires_at timestamptz NOT NULL
)`;
  try {
    await pool.query(sql);
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error;
    await pool.query(sql);
  }
}

/**
 * The schema check of one lock client: done once, before its first statement that needs it.
 * A failed check is not remembered (the next acquire tries again).
 */
export class SchemaReady {
  #ready: Promise<void> | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly names: SchemaNames,
    private readonly migrate: boolean,
  ) {}

  /** Resolves once the sequence and table exist, creating them when missing and allowed. */
  ensure(): Promise<void> {
    this.#ready ??= this.#check().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async #check(): Promise<void> {
    if (await schemaExists(this.pool, this.names)) return;
    if (!this.migrate) {
      throw new Error(
        `${this.names.sequence} or ${this.names.table} does not exist: run migratePostgresLocks(pool) as a role ` +
          'with CREATE on the schema, or leave options.migrate at true',
      );
    }
    await createSchema(this.pool, this.names);
  }
}
