// Where the tests find PostgreSQL: the backends launcher's server, started by
// test/global-setup.ts (LOCKSMITH_POSTGRES_URL, as `pnpm backends env` prints it; the launcher's
// port when unset). An unreachable server makes the suites skip with the reason, or fail when
// LOCKSMITH_REQUIRE_BACKENDS=1 (CI).
import { skipReason } from '@locksmith/backends';
import pg from 'pg';

export const POSTGRES_URL =
  process.env.LOCKSMITH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:17501/locksmith';

/** Whether the backends are required (CI): a skip then becomes a failure. */
export const REQUIRED = process.env.LOCKSMITH_REQUIRE_BACKENDS === '1';

/** A pool on the test server. */
export function connect(max = 20): pg.Pool {
  return new pg.Pool({ connectionString: POSTGRES_URL, max });
}

/** Why the PostgreSQL tests must skip (the launcher's reason, or a failed query), or `undefined`. */
export async function skipFor(): Promise<string | undefined> {
  if (process.env.LOCKSMITH_POSTGRES_SKIP_REASON !== undefined) return skipReason('postgres');
  const probe = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  try {
    await probe.connect();
    await probe.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `PostgreSQL at ${POSTGRES_URL} is unreachable (${error instanceof Error ? error.message : String(error)}); start it with \`pnpm backends up postgres\``;
  } finally {
    await probe.end().catch(() => undefined);
  }
}

/** A unique prefix per test file run (its own sequence and table), so runs never meet. */
export function testPrefix(name: string): string {
  return `t_${name}_${process.pid}_${Math.random().toString(36).slice(2, 7)}`.slice(0, 40);
}

/** Drops what a test prefix created (nothing a test writes stays behind). */
export async function dropSchema(pool: pg.Pool, prefix: string): Promise<void> {
  await pool.query(`DROP TABLE IF EXISTS ${prefix}_lease; DROP SEQUENCE IF EXISTS ${prefix}_token`);
}
