// The published packages of a checkout, read from packages/*/package.json.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

export interface PublishedPackage {
  /** Directory under packages/, e.g. `redis`. */
  readonly dir: string;
  /** Absolute path of the package directory. */
  readonly path: string;
  readonly manifest: Manifest;
  /** The file `pnpm pack` writes, e.g. `locksmith-redis-0.1.0.tgz`. */
  readonly tarball: string;
}

export function readManifest(path: string): Manifest {
  return JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as Manifest;
}

/** Every non-private package under `root`/packages, in directory order. */
export function publishedPackages(root: string): PublishedPackage[] {
  const parent = join(root, 'packages');
  return readdirSync(parent)
    .filter((dir) => existsSync(join(parent, dir, 'package.json')))
    .map((dir) => ({ dir, path: join(parent, dir), manifest: readManifest(join(parent, dir)) }))
    .filter(({ manifest }) => manifest.private !== true)
    .map((p) => ({
      ...p,
      tarball: `${p.manifest.name.replace(/^@/, '').replace('/', '-')}-${p.manifest.version}.tgz`,
    }));
}

/** `name` and every @locksmith package it depends on at run time, transitively. */
export function locksmithClosure(name: string, all: readonly PublishedPackage[]): PublishedPackage[] {
  const byName = new Map(all.map((p) => [p.manifest.name, p]));
  const seen = new Map<string, PublishedPackage>();
  const visit = (n: string) => {
    const p = byName.get(n);
    if (p === undefined) throw new Error(`${n} is not a published workspace package`);
    if (seen.has(n)) return;
    seen.set(n, p);
    for (const dep of Object.keys(p.manifest.dependencies ?? {}))
      if (dep.startsWith('@locksmith/')) visit(dep);
  };
  visit(name);
  return [...seen.values()];
}
