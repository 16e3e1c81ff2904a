// The workspace's packages as the repository tests read them (package.json and directory).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..');
export const packagesDir = join(root, 'packages');

export interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  description?: string;
  keywords?: string[];
  license?: string;
  homepage?: string;
  bugs?: { url?: string };
  repository?: { type?: string; url?: string; directory?: string };
  sideEffects?: boolean | string[];
  files?: string[];
  exports?: Record<string, unknown>;
  peerDependencies?: Record<string, string>;
  dependencies?: Record<string, string>;
}

export interface WorkspacePackage {
  /** Directory under packages/ or apps/, e.g. `redis`. */
  readonly dir: string;
  /** Path of the directory from the repository root, e.g. `packages/redis`. */
  readonly path: string;
  readonly pkg: PackageJson;
}

export const read = (...path: string[]) => readFileSync(join(...path), 'utf8');

function list(parent: string): WorkspacePackage[] {
  return readdirSync(join(root, parent))
    .filter((dir) => existsSync(join(root, parent, dir, 'package.json')))
    .map((dir) => ({
      dir,
      path: `${parent}/${dir}`,
      pkg: JSON.parse(read(root, parent, dir, 'package.json')) as PackageJson,
    }));
}

/** Everything under packages/ (published or not). */
export const packages = list('packages');
/** Every workspace package, apps included. */
export const workspace = [...packages, ...list('apps')];
/** The packages that go to npm. */
export const published = packages.filter(({ pkg }) => pkg.private !== true);
