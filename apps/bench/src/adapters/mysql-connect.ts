import type { Pool } from 'mysql2/promise';

/**
 * The launcher's MariaDB from `LOCKSMITH_MYSQL_URL` (as `pnpm backends env` prints it; the
 * launcher's port when unset). The runner checks the `mysql` requirement (starting the server
 * through the launcher when it does not answer).
 */
export function mysqlUrl(): string {
  return process.env.LOCKSMITH_MYSQL_URL ?? 'mysql://root@127.0.0.1:17601/locksmith';
}

/** A mysql2 promise pool on the bench's server. */
export async function connectMysql(connectionLimit: number): Promise<Pool> {
  const { createPool } = await import('mysql2/promise');
  return createPool({ uri: mysqlUrl(), connectionLimit, connectTimeout: 3_000 });
}

/** Connects, asks the version, disconnects. Resolves the version or an error message. */
export async function probeMysql(): Promise<{ version: string } | { error: string }> {
  try {
    const pool = await connectMysql(1);
    try {
      const [rows] = await pool.query('SELECT VERSION() AS v');
      return { version: String((rows as { v: string }[])[0]?.v) };
    } finally {
      await pool.end();
    }
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
