// A throwaway PostgreSQL cluster of a test's own, for the faults that kill the server (the
// launcher's shared one serves every other test): `initdb` into /var/tmp (about a second), then
// the launcher's binary and flags, as the `postgres` user when we are root. A kill takes the
// postmaster and every backend (testkit's PrivateServer), and a start replays the WAL, as after
// a crash.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findBinary, postgresBinDirs } from './paths.ts';
import type { PrivateServerRecipe } from './private-redis.ts';
import { runSql, sqlClient } from './probes/sql.ts';
import { RELOCATED_ROOT } from './server-data-dir.ts';
import { initdbArgs, postgresArgs } from './services/postgres.ts';
import { isRoot, serverUser } from './system-user.ts';
import { DATABASE, HOST } from './topology.ts';

const run = promisify(execFile);

/** The URL of the private cluster on `port` (its `postgres` database, trust auth). */
export function privatePostgresUrl(port: number): string {
  return `postgres://${DATABASE.postgresUser}@${HOST}:${port}/postgres`;
}

/** The pid of the postmaster answering on `port` (its postmaster.pid); rejects while none does. */
export async function postmasterPid(port: number): Promise<number | undefined> {
  const out = await runSql(
    { kind: 'postgres', port, database: 'postgres' },
    "SELECT split_part(pg_read_file('postmaster.pid'), E'\\n', 1)",
  );
  const pid = Number(out);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Why a private cluster cannot run here, or `undefined` when it can. */
export function privatePostgresSkip(): string | undefined {
  const bins = postgresBinDirs();
  if (findBinary('initdb', bins) === undefined || findBinary('postgres', bins) === undefined)
    return 'PostgreSQL server binaries not found (/usr/lib/postgresql/<v>/bin); apt-get install postgresql';
  if (sqlClient('postgres') === undefined) return 'psql not found; apt-get install postgresql-client';
  if (isRoot() && serverUser(['postgres']) === undefined)
    return 'running as root, and there is no `postgres` user to run the server as';
  return undefined;
}

/** A private PostgreSQL cluster's recipe, or `undefined` when one cannot run (see {@link privatePostgresSkip}). */
export function privatePostgresRecipe(): PrivateServerRecipe | undefined {
  if (privatePostgresSkip() !== undefined) return undefined;
  const bins = postgresBinDirs();
  const initdb = findBinary('initdb', bins) as string;
  const postgres = findBinary('postgres', bins) as string;
  const user = serverUser(['postgres']);
  const as = user === undefined ? undefined : { uid: user.uid, gid: user.gid };
  return {
    // The server's user must reach the data directory: a root home directory it cannot enter.
    parentDir: RELOCATED_ROOT,
    ...(as === undefined ? {} : { user: as }),
    init: async (dir) => {
      await run(initdb, initdbArgs(dir), { ...as, cwd: '/' });
    },
    command: (port, dir) => ({ file: postgres, args: postgresArgs(dir, port) }),
    ready: postmasterPid,
    startMs: 30_000,
  };
}
