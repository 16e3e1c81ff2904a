// MariaDB (MySQL protocol): our own server (mariadb-install-db into .backends/, or /var/tmp when the
// `mysql` user cannot reach it: server-data-dir.ts), root without a password on 127.0.0.1, its own
// socket, a `locksmith` database. Never the machine's server on 3306.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type BackendDriver, combineHealth } from '../driver.ts';
import { findBinary } from '../paths.ts';
import { ensureDatabase, sqlClient, sqlWriteRead } from '../probes/sql.ts';
import { prepareServerDataDir, serverDataDir } from '../server-data-dir.ts';
import { isRoot, serverUser } from '../system-user.ts';
import { clientPort, DATABASE, HOST, type Member } from '../topology.ts';

const run = promisify(execFile);
const user = () => serverUser(['mysql']);
const server = () => findBinary('mariadbd') ?? findBinary('mysqld');
const target = (m: Member) => ({ kind: 'mysql' as const, port: clientPort(m), composeService: m.name });
/** --user is required when root; harmless otherwise. */
const userArgs = () => (isRoot() ? [`--user=${user()?.name ?? 'root'}`] : []);

export const mysql: BackendDriver = {
  service: 'mysql',
  readyTimeoutMs: 45_000,
  requirements() {
    if (server() === undefined || findBinary('mariadb-install-db') === undefined) {
      return 'mariadbd/mariadb-install-db not found; apt-get install mariadb-server (then `systemctl disable --now mariadb` if you do not want the system one)';
    }
    if (sqlClient('mysql') === undefined) return 'mariadb client not found; apt-get install mariadb-client';
    return undefined;
  },
  async prepare(m: Member) {
    const dir = prepareServerDataDir(m.name, user());
    if (existsSync(join(dir, 'mysql'))) return;
    await run(
      findBinary('mariadb-install-db') ?? 'mariadb-install-db',
      [
        '--no-defaults',
        `--datadir=${dir}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        ...userArgs(),
      ],
      { cwd: '/' },
    );
  },
  command(m: Member) {
    const dir = serverDataDir(m.name, user());
    return {
      cmd: server() ?? 'mariadbd',
      args: [
        '--no-defaults',
        `--datadir=${dir}`,
        `--port=${clientPort(m)}`,
        `--bind-address=${HOST}`,
        `--socket=${join(dir, 'mysqld.sock')}`,
        `--pid-file=${join(dir, `${m.name}.pid`)}`,
        '--skip-log-bin',
        '--max-connections=300',
        '--innodb-buffer-pool-size=64M',
        ...userArgs(),
      ],
      cwd: '/',
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
    return combineHealth(mysql, members, async () => `database ${DATABASE.name}, insert/select ok`);
  },
};
