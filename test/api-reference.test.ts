// `pnpm docs` (typedoc.json) must cover every entry point a published package exports, and require
// documentation of each: a new package or subpath left out of the reference fails here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const config = JSON.parse(readFileSync(join(root, 'typedoc.json'), 'utf8')) as {
  entryPoints: string[];
  packagesRequiringDocumentation: string[];
  treatWarningsAsErrors: boolean;
  validation: Record<string, boolean>;
};
const published = readdirSync(join(root, 'packages'))
  .filter((dir) => existsSync(join(root, 'packages', dir, 'package.json')))
  .map((dir) => ({
    dir,
    pkg: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as {
      name: string;
      private?: boolean;
      exports: Record<string, unknown>;
    },
  }))
  .filter(({ pkg }) => !pkg.private);

/** Subpaths whose source is not `src/index.ts`, and those with no API to document. */
const SUBPATH_SOURCES: Record<string, string> = {
  '@locksmith/core/protocol': 'packages/core/src/protocol-index.ts',
};
const NO_API: Record<string, string> = {
  '@locksmith/testkit/guard': 'a vitest setup file: it installs hooks and exports nothing',
  '@locksmith/testkit/holder': 'a script the testkit runs as a child process',
};

describe('API reference (typedoc.json)', () => {
  it.each(published.map(({ dir, pkg }) => [pkg.name, dir, pkg] as const))(
    'covers every entry of %s',
    (name, dir, pkg) => {
      for (const subpath of Object.keys(pkg.exports).filter((s) => s !== './package.json')) {
        const specifier = subpath === '.' ? name : `${name}/${subpath.slice(2)}`;
        if (specifier in NO_API) continue;
        const source = subpath === '.' ? `packages/${dir}/src/index.ts` : SUBPATH_SOURCES[specifier];
        expect(source, `${specifier}: say in SUBPATH_SOURCES which file it is built from`).toBeDefined();
        expect(config.entryPoints, specifier).toContain(source);
      }
      expect(config.packagesRequiringDocumentation).toContain(name);
    },
  );

  it('fails on any warning, an undocumented export included', () => {
    expect(config.treatWarningsAsErrors).toBe(true);
    expect(config.validation).toMatchObject({ notDocumented: true, notExported: true, invalidLink: true });
  });
});
