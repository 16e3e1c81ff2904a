import type { Pool } from 'pg';

/**
 * The launcher's PostgreSQL from `LOCKSMITH_POSTGRES_URL` (as `pnpm backends env` prints it; the
 * launcher's port when unset). The runner checks the `postgres` requirement.
 */
export function postgresUrl(): string {
  return process.env.LOCKSMITH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:17501/locksmith';
}

/** A pool on the bench's server, one per locker (a worker's connections). */
export async function connectPostgres(max = 10): Promise<Pool> {
  const { default: pg } = await import('pg');
  return new pg.Pool({ connectionString: postgresUrl(), max });
}

/** The server's version (`SHOW server_version`), over one short connection. */
export async function postgresVersion(): Promise<string> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: postgresUrl(), connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version ?? 'unknown';
  } finally {
    await client.end().catch(() => undefined);
  }
}
