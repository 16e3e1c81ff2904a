// What npm shows and ships for each published package: licence file, links, keywords, and the
// ranges and flags bundlers and installers act on.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { published, read, root } from './workspace-packages.ts';

const REPOSITORY = 'git+https://github.com/locksmith-js/locksmith.git';
const GITHUB = 'https://github.com/locksmith-js/locksmith';
/** `^x.y.z`, or `>=x.y.z <N`: either stops before a major that nobody has tested. */
const BOUNDED_RANGE = /^(\^\d+\.\d+\.\d+|>=\d+\.\d+\.\d+ <\d+)$/;
/** Entry files that do something when imported (testkit's guard registers process hooks). */
const SIDE_EFFECTS: Record<string, string[]> = {
  '@locksmith/testkit': [
    './dist/guard.mjs',
    './dist/holder.mjs',
    './dist/safety-worker.mjs',
    './dist/fault-worker.mjs',
  ],
};

describe('published package metadata', () => {
  it('the repository has an MIT LICENSE', () => {
    expect(read(root, 'LICENSE')).toMatch(/^MIT License\n/);
  });

  it.each(published.map((p) => [p.pkg.name, p] as const))('%s ships the LICENSE', (_name, { path, pkg }) => {
    // npm and pnpm pack a package's own LICENSE whatever `files` says, and never the root one.
    expect(existsSync(join(root, path, 'LICENSE'))).toBe(true);
    expect(read(root, path, 'LICENSE')).toBe(read(root, 'LICENSE'));
    expect(pkg.license).toBe('MIT');
  });

  it.each(published.map((p) => [p.pkg.name, p] as const))('%s links home', (_name, { path, pkg }) => {
    expect(pkg.repository).toEqual({ type: 'git', url: REPOSITORY, directory: path });
    expect(pkg.homepage).toBe(`${GITHUB}/tree/main/${path}#readme`);
    expect(pkg.bugs).toEqual({ url: `${GITHUB}/issues` });
    expect(pkg.keywords).toContain('locksmith');
    expect(pkg.keywords?.length).toBeGreaterThan(2);
  });

  it.each(published.map((p) => [p.pkg.name, p] as const))(
    '%s bounds every peer range below the next major',
    (_name, { pkg }) => {
      for (const [peer, range] of Object.entries(pkg.peerDependencies ?? {})) {
        expect(range, peer).toMatch(BOUNDED_RANGE);
      }
    },
  );

  it.each(published.map((p) => [p.pkg.name, p] as const))(
    '%s declares exactly its side-effectful files',
    (name, { pkg }) => {
      expect(pkg.sideEffects).toEqual(SIDE_EFFECTS[name] ?? false);
    },
  );
});
