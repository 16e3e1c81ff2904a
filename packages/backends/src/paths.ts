// Where data, logs, pid files and binaries live. Everything we write is under `.backends/` at
// the repository root (git-ignored); binaries built by scripts/install-backends.sh live in a
// cache outside the repository so a fresh clone reuses them.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (dir !== dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

export const REPO_ROOT = findRepoRoot();
export const BACKENDS_DIR = process.env.LOCKSMITH_BACKENDS_DIR ?? join(REPO_ROOT, '.backends');
export const COMPOSE_FILE = join(REPO_ROOT, 'docker-compose.yml');

export const dataDir = (member: string) => join(BACKENDS_DIR, 'data', member);
export const logFile = (member: string) => join(BACKENDS_DIR, 'log', `${member}.log`);
export const pidFile = (member: string) => join(BACKENDS_DIR, 'run', `${member}.pid`);
export const runDir = () => join(BACKENDS_DIR, 'run');

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The caches scripts/install-backends.sh writes to (root: /var/cache, others: ~/.cache). */
export function cacheBinDirs(): string[] {
  const dirs = [
    process.env.LOCKSMITH_CACHE_DIR,
    '/var/cache/locksmith',
    join(homedir(), '.cache', 'locksmith'),
  ];
  return dirs.filter((d): d is string => d !== undefined).map((d) => join(d, 'bin'));
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/**
 * Finds an executable: `LOCKSMITH_<NAME>_BIN`, then the install cache, then extra directories,
 * then PATH. Returns undefined when it is nowhere.
 */
export function findBinary(name: string, extraDirs: string[] = []): string | undefined {
  const override = process.env[`LOCKSMITH_${name.toUpperCase().replace(/-/g, '_')}_BIN`];
  if (override !== undefined && existsSync(override)) return override;
  for (const dir of [...cacheBinDirs(), ...extraDirs]) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  return onPath(name) ?? (existsSync(join('/usr/sbin', name)) ? join('/usr/sbin', name) : undefined);
}

/** PostgreSQL server binaries are off PATH on Debian: /usr/lib/postgresql/<major>/bin. */
export function postgresBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(root, v, 'bin'));
}
