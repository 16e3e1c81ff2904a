// The file-level checks scripts/check-packages.ts runs on each tarball and fresh project: each one
// must catch the defect it exists for (they all passed silently before the check existed).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installProblems } from '../scripts/lib/installed-packages.ts';
import { tarballProblems } from '../scripts/lib/tarball-contents.ts';

const LICENSE = 'MIT License\n';
let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** A folder holding `files` (path → content). */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'package-checks-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const good = {
  'package/LICENSE': LICENSE,
  'package/README.md': '# x\n',
  'package/package.json': '{"name":"@locksmith/x","dependencies":{"@locksmith/core":"^0.1.0"}}',
  'package/dist/index.mjs': 'export {};\n//# sourceMappingURL=index.mjs.map\n',
  'package/dist/index.mjs.map': '{"version":3,"sources":["../src/index.ts"],"sourcesContent":["export {};"]}',
  'package/dist/index.d.mts': 'export {};\n',
};

describe('tarballProblems', () => {
  it('accepts a complete tarball', () => {
    expect(tarballProblems(folder(good), LICENSE)).toEqual([]);
  });

  it('names a missing or different LICENSE', () => {
    const { 'package/LICENSE': _, ...noLicense } = good;
    expect(tarballProblems(folder(noLicense), LICENSE)).toEqual(['LICENSE is not in the tarball']);
    expect(tarballProblems(folder({ ...good, 'package/LICENSE': 'ISC\n' }), LICENSE)).toEqual([
      'LICENSE differs from the repository LICENSE',
    ]);
  });

  it('names a declaration file pointing at a map that is not shipped', () => {
    const dangling = {
      ...good,
      'package/dist/index.d.mts': 'export {};\n//# sourceMappingURL=index.d.mts.map\n',
    };
    expect(tarballProblems(folder(dangling), LICENSE)).toEqual([
      'dist/index.d.mts names the source map index.d.mts.map, which is not shipped',
    ]);
  });

  it('names a map whose sources are neither shipped nor inlined', () => {
    const bare = { ...good, 'package/dist/index.mjs.map': '{"version":3,"sources":["../src/index.ts"]}' };
    expect(tarballProblems(folder(bare), LICENSE)).toEqual([
      'dist/index.mjs.map maps to ../src/index.ts, which is neither shipped nor inlined',
    ]);
    expect(tarballProblems(folder({ ...bare, 'package/src/index.ts': 'export {};' }), LICENSE)).toEqual([]);
  });

  it('names a workspace: range left in package.json', () => {
    const raw = { ...good, 'package/package.json': '{"dependencies":{"@locksmith/core":"workspace:^"}}' };
    expect(tarballProblems(folder(raw), LICENSE)).toEqual(['package.json still has a workspace: range']);
  });
});

describe('installProblems', () => {
  const lock = (entries: Record<string, string>) =>
    JSON.stringify({
      packages: Object.fromEntries(Object.entries(entries).map(([path, resolved]) => [path, { resolved }])),
    });
  const project = (extra: Record<string, string>, locked: Record<string, string>) =>
    folder({
      'node_modules/@locksmith/redis/package.json': '{}',
      'node_modules/@locksmith/core/package.json': '{}',
      'node_modules/ioredis/package.json': '{}',
      'package-lock.json': lock({
        'node_modules/@locksmith/redis': 'file:../tarballs/locksmith-redis-0.1.0.tgz',
        'node_modules/@locksmith/core': 'file:../tarballs/locksmith-core-0.1.0.tgz',
        ...locked,
      }),
      ...extra,
    });
  const expected = new Set(['@locksmith/redis', '@locksmith/core']);

  it('accepts the backend, its @locksmith dependencies and its own client', () => {
    expect(installProblems(project({}, {}), 'ioredis', expected)).toEqual([]);
  });

  it("names another backend's client, also when nested", () => {
    const dir = project({ 'node_modules/ioredis/node_modules/pg/package.json': '{}' }, {});
    expect(installProblems(dir, 'ioredis', expected)).toEqual(["another backend's client is installed: pg"]);
  });

  it('names an @locksmith package it does not need, or one from a registry', () => {
    const dir = project(
      { 'node_modules/@locksmith/lease/package.json': '{}' },
      { 'node_modules/@locksmith/lease': 'https://registry.npmjs.org/@locksmith/lease/-/lease-0.1.0.tgz' },
    );
    expect(installProblems(dir, 'ioredis', expected)).toEqual([
      'an @locksmith package it does not need is installed: @locksmith/lease',
      'node_modules/@locksmith/lease did not come from a tarball',
    ]);
  });
});
