import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, reportsDir, resolveReportDir } from '../src/report-paths.ts';

describe('report paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'locksmith-app-kit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the repository root and the app reports under it', () => {
    expect(existsSync(join(repoRoot(), 'pnpm-workspace.yaml'))).toBe(true);
    expect(reportsDir('bench')).toBe(join(repoRoot(), 'bench', 'reports'));
  });

  it('resolves a report directory or its results.json, and names where it looked otherwise', () => {
    mkdirSync(join(dir, 'run'));
    writeFileSync(join(dir, 'run', 'results.json'), '{}');
    expect(resolveReportDir(join(dir, 'run'), 'bench')).toBe(join(dir, 'run'));
    expect(resolveReportDir(join(dir, 'run', 'results.json'), 'bench')).toBe(join(dir, 'run'));
    expect(() => resolveReportDir(join(dir, 'none'), 'bench')).toThrow(/no report at .*none.* \(looked in /);
  });
});
