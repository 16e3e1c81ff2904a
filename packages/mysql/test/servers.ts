// Where the tests find MySQL: the backends launcher's MariaDB, started by test/global-setup.ts
// (LOCKSMITH_MYSQL_URL, as `pnpm backends env` prints it; the launcher's port when unset). An
// unreachable server makes the suites skip with the reason, or fail when
// LOCKSMITH_REQUIRE_BACKENDS=1 (CI).
import { skipReason } from '@locksmith/backends';
import { createPool, type Pool } from 'mysql2/promise';

export const MYSQL_URL = process.env.LOCKSMITH_MYSQL_URL ?? 'mysql://root@127.0.0.1:17601/locksmith';

/** Whether the backends are required (CI): a skip then becomes a failure. */
export const REQUIRED = process.env.LOCKSMITH_REQUIRE_BACKENDS === '1';

/** A pool on the test server; enough connections for the suites' concurrent holders and waiters. */
export function connect(url = MYSQL_URL, connectionLimit = 40): Pool {
  return createPool({ uri: url, connectionLimit });
}

/** Why the MySQL tests must skip (the launcher's reason, or a failed query), or `undefined`. */
export async function skipFor(): Promise<string | undefined> {
  if (process.env.LOCKSMITH_MYSQL_SKIP_REASON !== undefined) return skipReason('mysql');
  const probe = createPool({ uri: MYSQL_URL, connectionLimit: 1, connectTimeout: 3_000 });
  try {
    await probe.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `MySQL at ${MYSQL_URL} is unreachable (${error instanceof Error ? error.message : String(error)}); start it with \`pnpm backends up mysql\``;
  } finally {
    await probe.end().catch(() => undefined);
  }
}

/** A unique lock-name prefix per test file run, so runs on a shared server never meet. */
export function testPrefix(name: string): string {
  return `t-${name.slice(0, 8)}-${process.pid % 100000}-${Math.random().toString(36).slice(2, 6)}:`;
}
