// Repository rules that code review would otherwise have to remember (STYLE.md §1, §2, §8).
// Changesets: changesets.test.ts; licence, links, ranges and side effects: package-metadata.test.ts.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packages, packagesDir, published, read } from './workspace-packages.ts';

/** Backend packages and the client library each may use (the only one it may import). */
const BACKENDS: Record<string, string | undefined> = {
  memory: undefined,
  file: undefined,
  redis: 'ioredis',
  etcd: 'etcd3',
  zookeeper: 'zookeeper',
  consul: 'consul',
  postgres: 'pg',
  mysql: 'mysql2',
};
const CLIENT_LIBRARIES = Object.values(BACKENDS).filter((c): c is string => c !== undefined);
const backends = packages.filter(({ dir }) => dir in BACKENDS);

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

describe('published packages', () => {
  it.each(published.map((p) => [p.pkg.name, p] as const))(
    '%s has the standard anatomy',
    (_name, { dir, pkg }) => {
      expect(pkg.files).toEqual(['dist']);
      expect(pkg.exports).toHaveProperty(['.', 'import', 'types']);
      expect(pkg.exports).toHaveProperty(['.', 'require', 'types']);
      expect(pkg.exports).toHaveProperty(['./package.json']);
      expect(existsSync(join(packagesDir, dir, 'README.md')), 'README.md').toBe(true);
      expect(read(packagesDir, dir, 'README.md')).toMatch(/```ts/);
    },
  );

  it.each(published.map((p) => [p.pkg.name, p.dir] as const))(
    '%s index.ts only re-exports by name',
    (_name, dir) => {
      // Except its own CommonJS entry, which names each export itself (testkit: all but vitest's part).
      const index = read(packagesDir, dir, 'src', 'index.ts').replace(
        "export * from './index-cjs.ts';\n",
        '',
      );
      expect(index).not.toMatch(/export \*/);
      expect(index).not.toMatch(/export default/);
      for (const line of index.split('\n').filter((l) => l.trim() !== '')) {
        expect(line).toMatch(/^(export (type )?\{|\s|\}|\/\/|\/\*\*)/); // a `/** @module */` comment may head it
      }
    },
  );

  it('src never reads wall-clock time outside the places that report it', () => {
    const offenders = published.flatMap(({ dir }) =>
      sourceFiles(join(packagesDir, dir, 'src')).filter(
        (f) => /Date\.now\(\)/.test(read(f)) && !/wall time/i.test(read(f)),
      ),
    );
    expect(offenders).toEqual([]);
  });
});

describe('backend packages', () => {
  it('the list of backends is not empty', () => {
    expect(backends.map((b) => b.dir)).toEqual(expect.arrayContaining(['memory', 'file']));
  });

  it.each(backends.map((b) => [b.dir, b] as const))('%s runs the conformance suite', (dir) => {
    const path = join(packagesDir, dir, 'test', 'conformance.test.ts');
    expect(existsSync(path), `${path} exists`).toBe(true);
    expect(read(path)).toMatch(/runConformance\(/);
  });

  it.each(backends.map((b) => [b.dir, b] as const))('%s exports its factory', (dir) => {
    expect(read(packagesDir, dir, 'src', 'index.ts')).toMatch(new RegExp(`\\b${dir}Locks\\b`));
  });

  it.each(backends.map((b) => [b.dir, b] as const))(
    '%s takes its client as a peer and imports no other backend client',
    (dir, { pkg }) => {
      const own = BACKENDS[dir];
      if (own !== undefined) {
        expect(pkg.peerDependencies).toHaveProperty([own]);
        expect(pkg.dependencies ?? {}).not.toHaveProperty([own]);
      }
      for (const other of CLIENT_LIBRARIES.filter((c) => c !== own)) {
        expect(pkg.dependencies ?? {}).not.toHaveProperty([other]);
        expect(pkg.peerDependencies ?? {}).not.toHaveProperty([other]);
        for (const file of sourceFiles(join(packagesDir, dir, 'src'))) {
          expect(read(file), `${file} imports ${other}`).not.toMatch(new RegExp(`from ['"]${other}['"]`));
        }
      }
    },
  );
});
