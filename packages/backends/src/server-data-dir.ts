// Where a server that runs as its own system user (PostgreSQL, MariaDB when we are root) keeps its
// data. Under `.backends/data/` when that user can reach it; a checkout under a directory other
// users cannot enter (a root home directory is 0700) would fail with "Permission denied", so
// there the data moves to /var/tmp, in a directory keyed by the backends directory's path.
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BACKENDS_DIR, dataDir, ensureDir } from './paths.ts';
import { chownTo, type SystemUser } from './system-user.ts';

/** Where data moves when the server's user cannot reach `.backends/data/`. */
export const RELOCATED_ROOT = '/var/tmp';

/** Groups `user` belongs to beyond its primary one (/etc/group member lists). */
function supplementaryGids(user: SystemUser): Set<number> {
  const gids = new Set<number>();
  try {
    for (const line of readFileSync('/etc/group', 'utf8').split('\n')) {
      const [, , gid, members] = line.split(':');
      if ((members ?? '').split(',').includes(user.name)) gids.add(Number(gid));
    }
  } catch {}
  return gids;
}

/**
 * Whether `user` may enter every directory from `/` down to `dir` (the execute bit that applies
 * to it: owner, group or other). ACLs are not read: a directory they alone open reads as closed,
 * which only moves the data.
 */
export function reachableBy(dir: string, user: SystemUser): boolean {
  const groups = supplementaryGids(user);
  for (let d = dir; ; d = dirname(d)) {
    const { mode, uid, gid } = statSync(d);
    const bit = uid === user.uid ? 0o100 : gid === user.gid || groups.has(gid) ? 0o010 : 0o001;
    if ((mode & bit) === 0) return false;
    if (d === dirname(d)) return true;
  }
}

/** The directory under /var/tmp for this backends directory: one per checkout. */
export function relocatedDir(member: string): string {
  const key = createHash('sha256').update(BACKENDS_DIR).digest('hex').slice(0, 12);
  return join(RELOCATED_ROOT, `locksmith-${key}`, member);
}

/**
 * The data directory of `member`, whose server runs as `user` (undefined: as ourselves). Creates
 * `.backends/data/` first, so that what is checked is what the server will meet.
 */
export function serverDataDir(member: string, user: SystemUser | undefined): string {
  const usual = dataDir(member);
  if (user === undefined || reachableBy(ensureDir(dirname(usual)), user)) return usual;
  return relocatedDir(member);
}

/** Creates `member`'s data directory for `user` (see {@link serverDataDir}) and returns it. */
export function prepareServerDataDir(member: string, user: SystemUser | undefined): string {
  const dir = serverDataDir(member, user);
  if (dir !== dataDir(member)) {
    // /var/tmp is world-writable: only a real directory of ours may hold the data.
    const parent = dirname(dir);
    try {
      mkdirSync(parent, { mode: 0o755 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const stat = lstatSync(parent);
    if (!stat.isDirectory() || stat.uid !== process.getuid?.()) {
      throw new Error(
        `${member}: ${BACKENDS_DIR} is in a directory the ${user?.name} user cannot enter, so its data goes to ` +
          `${parent}, but that is not a directory owned by this user; remove it, or set LOCKSMITH_BACKENDS_DIR ` +
          `to a directory every user can enter`,
      );
    }
    chmodSync(parent, 0o755); // whatever the umask: the server's user must enter it
  }
  ensureDir(dir);
  chownTo(dir, user);
  return dir;
}
