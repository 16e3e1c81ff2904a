// PostgreSQL: our own cluster (initdb into .backends/, or /var/tmp when the `postgres` user cannot
// reach it: server-data-dir.ts), trust auth on 127.0.0.1 only, TCP only, a `locksmith` database.
// Never the machine's server on 5432.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type BackendDriver, combineHealth } from '../driver.ts';
import { findBinary, postgresBinDirs } from '../paths.ts';
import { ensureDatabase, sqlClient, sqlWriteRead } from '../probes/sql.ts';
import { prepareServerDataDir, serverDataDir } from '../server-data-dir.ts';
import { isRoot, serverUser } from '../system-user.ts';
import { clientPort, DATABASE, HOST, type Member } from '../topology.ts';

const run = promisify(execFile);
const user = () => serverUser(['postgres']);
const bin = (name: string) => findBinary(name, postgresBinDirs());
const target = (m: Member) => ({ kind: 'postgres' as const, port: clientPort(m), composeService: m.name });

/** `initdb`'s arguments for a new cluster in `dir` (also private-postgres.ts's). */
// biome-ignore format: one flag per line
export const initdbArgs = (dir: string) => [
  '-D', dir, '-U', DATABASE.postgresUser, '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C',
];

/** The server's arguments: data in `dir`, TCP on 127.0.0.1:`port` only (also private-postgres.ts's). */
// biome-ignore format: one flag per line
export const postgresArgs = (dir: string, port: number) => [
  '-D', dir, '-p', String(port),
  '-c', `listen_addresses=${HOST}`, '-c', 'unix_socket_directories=', '-c', 'max_connections=300',
];

export const postgres: BackendDriver = {
  service: 'postgres',
  readyTimeoutMs: 30_000,
  stopSignal: 'SIGINT',
  requirements() {
    if (bin('initdb') === undefined || bin('postgres') === undefined) {
      return 'PostgreSQL server binaries not found (/usr/lib/postgresql/<v>/bin); apt-get install postgresql';
    }
    if (sqlClient('postgres') === undefined) return 'psql not found; apt-get install postgresql-client';
    if (isRoot() && user() === undefined)
      return 'running as root, and there is no `postgres` user to run the server as';
    return undefined;
  },
  async prepare(m: Member) {
    const u = user();
    const dir = prepareServerDataDir(m.name, u);
    if (existsSync(join(dir, 'PG_VERSION'))) return;
    await run(bin('initdb') ?? 'initdb', initdbArgs(dir), {
      ...(u === undefined ? {} : { uid: u.uid, gid: u.gid }),
      cwd: '/',
    });
  },
  command(m: Member) {
    const u = user();
    return {
      cmd: bin('postgres') ?? 'postgres',
      args: postgresArgs(serverDataDir(m.name, u), clientPort(m)),
      cwd: '/',
      ...(u === undefined ? {} : { uid: u.uid, gid: u.gid }),
    };
  },
  async init(members) {
    for (const m of members) await ensureDatabase(target(m));
  },
  async memberHealth(m: Member) {
    await sqlWriteRead({ ...target(m), database: DATABASE.name });
    return { ok: true, detail: 'insert/select ok' };
  },
  serviceHealth(members) {
    return combineHealth(postgres, members, async () => `database ${DATABASE.name}, insert/select ok`);
  },
};
