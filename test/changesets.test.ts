// Every pending changeset must be one `changeset version` accepts, naming only published packages,
// and a package that was never released must come out at 0.1.0 (STYLE.md §10, .changeset/README.md).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import parseChangeset from '@changesets/parse';
import { describe, expect, it } from 'vitest';
import { published, read, root, workspace } from './workspace-packages.ts';

const config = JSON.parse(read(root, '.changeset', 'config.json')) as { ignore?: string[] };
const files = readdirSync(join(root, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
const changesets = files.map((file) => {
  const text = read(root, '.changeset', file);
  try {
    return { file, ...parseChangeset(text) };
  } catch (error) {
    // Parsed the way @changesets/cli parses it: a file it rejects stops every version and publish.
    return { file, error: error instanceof Error ? error.message : String(error), releases: [], summary: '' };
  }
});
// A released package has a CHANGELOG.md, written by `changeset version`.
const neverReleased = published.filter((p) => !existsSync(join(root, p.path, 'CHANGELOG.md')));
const names = new Set(workspace.map((p) => p.pkg.name));
const publishable = new Set(
  published.map((p) => p.pkg.name).filter((name) => !(config.ignore ?? []).includes(name)),
);

describe('changesets', () => {
  it('there are changesets to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(changesets.map((c) => [c.file, c] as const))('%s parses and names published packages', (_f, c) => {
    expect('error' in c ? c.error : undefined).toBeUndefined();
    expect(c.releases.length, 'names at least one package').toBeGreaterThan(0);
    expect(c.summary.trim(), 'says what changed for users').not.toBe('');
    for (const { name, type } of c.releases) {
      expect(names.has(name), `${name} is a workspace package`).toBe(true);
      expect(publishable.has(name), `${name} is published (not private, not ignored)`).toBe(true);
      expect(['major', 'minor', 'patch'], `${name}: ${type}`).toContain(type);
    }
  });

  it.each(published.map((p) => [p.pkg.name, p] as const))(
    '%s has a pending changeset or a changelog',
    (name, { path }) => {
      const pending = changesets.some((c) => c.releases.some((r) => r.name === name));
      expect(pending || existsSync(join(root, path, 'CHANGELOG.md'))).toBe(true);
    },
  );

  // changesets bumps 0.0.0 by a minor to 0.1.0; any other start (or a major) skips the first minor.
  it.each(neverReleased.map((p) => [p.pkg.name, p] as const))(
    '%s (never released) is at 0.0.0 with a minor first release',
    (name, { pkg }) => {
      const bumps = changesets.flatMap((c) => c.releases.filter((r) => r.name === name).map((r) => r.type));
      expect(pkg.version, 'version before the first release').toBe('0.0.0');
      expect(bumps).toContain('minor');
      expect(bumps).not.toContain('major');
    },
  );
});
