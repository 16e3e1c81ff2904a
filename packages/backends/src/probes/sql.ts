// SQL round trips through the stock command-line clients (psql, mariadb/mysql), so the launcher
// needs no driver. On a Docker machine without the clients, the same SQL runs inside the container.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { COMPOSE_FILE, findBinary, postgresBinDirs } from '../paths.ts';
import { DATABASE, HOST } from '../topology.ts';

const run = promisify(execFile);

export type SqlKind = 'postgres' | 'mysql';

interface SqlTarget {
  kind: SqlKind;
  port: number;
  database: string;
  /** Container to `docker compose exec` into when the local client is missing. */
  composeService?: string;
}

export function sqlClient(kind: SqlKind): string | undefined {
  return kind === 'postgres'
    ? findBinary('psql', postgresBinDirs())
    : (findBinary('mariadb') ?? findBinary('mysql'));
}

function clientArgs(kind: SqlKind, host: string, port: number, database: string, sql: string): string[] {
  return kind === 'postgres'
    ? [
        '-X',
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        '-h',
        host,
        '-p',
        String(port),
        '-U',
        DATABASE.postgresUser,
        '-d',
        database,
        '-Atc',
        sql,
      ]
    : [
        '--no-defaults',
        '-h',
        host,
        '-P',
        String(port),
        '-u',
        DATABASE.mysqlUser,
        '-N',
        '-B',
        '-D',
        database,
        '-e',
        sql,
      ];
}

/** Runs SQL and returns stdout trimmed; throws with the client's stderr. */
export async function runSql(target: SqlTarget, sql: string, timeoutMs = 5000): Promise<string> {
  const client = sqlClient(target.kind);
  let file: string;
  let args: string[];
  if (client !== undefined) {
    file = client;
    args = clientArgs(target.kind, HOST, target.port, target.database, sql);
  } else if (target.composeService !== undefined) {
    const inner = target.kind === 'postgres' ? 'psql' : 'mariadb';
    const port = target.kind === 'postgres' ? 5432 : 3306;
    file = 'docker';
    args = [
      'compose',
      '-f',
      COMPOSE_FILE,
      '-p',
      'locksmith',
      'exec',
      '-T',
      target.composeService,
      inner,
      ...clientArgs(target.kind, '127.0.0.1', port, target.database, sql),
    ];
  } else {
    throw new Error(
      `${target.kind === 'postgres' ? 'psql' : 'mariadb'} client not found (apt-get install ${target.kind === 'postgres' ? 'postgresql-client' : 'mariadb-client'})`,
    );
  }
  try {
    const { stdout } = await run(file, args, {
      timeout: timeoutMs,
      env: { ...process.env, PGCONNECT_TIMEOUT: '2' },
    });
    return stdout.trim();
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error((e.stderr ?? '').trim().split('\n').slice(-2).join(' ') || e.message);
  }
}

/** A write and a read in one session: a temporary table, so nothing is left behind. */
export async function sqlWriteRead(target: SqlTarget): Promise<void> {
  const token = String(Math.floor(Math.random() * 1e9));
  const sql =
    target.kind === 'postgres'
      ? `CREATE TEMP TABLE locksmith_probe (v bigint); INSERT INTO locksmith_probe VALUES (${token}); SELECT v FROM locksmith_probe;`
      : `CREATE TEMPORARY TABLE locksmith_probe (v bigint); INSERT INTO locksmith_probe VALUES (${token}); SELECT v FROM locksmith_probe;`;
  const out = await runSql(target, sql);
  if (out.split('\n').at(-1)?.trim() !== token)
    throw new Error(`read back ${JSON.stringify(out)}, wrote ${token}`);
}

/** Creates the `locksmith` database when missing (connects to the server's default database). */
export async function ensureDatabase(target: Omit<SqlTarget, 'database'>): Promise<void> {
  if (target.kind === 'postgres') {
    const base = { ...target, database: 'postgres' };
    const exists = await runSql(base, `SELECT 1 FROM pg_database WHERE datname = '${DATABASE.name}'`);
    if (exists !== '1') await runSql(base, `CREATE DATABASE ${DATABASE.name}`);
  } else {
    await runSql({ ...target, database: 'mysql' }, `CREATE DATABASE IF NOT EXISTS ${DATABASE.name}`);
  }
}
