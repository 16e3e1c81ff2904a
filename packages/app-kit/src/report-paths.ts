// Where the apps write their reports: `<app>/reports/<id>/` at the repository root.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest directory above this package with a pnpm-workspace.yaml. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root (pnpm-workspace.yaml)');
    dir = up;
  }
  return dir;
}

/** Where `app` writes its reports: `<app>/reports/` at the repository root (`bench`, `faults`). */
export function reportsDir(app: string): string {
  return join(repoRoot(), app, 'reports');
}

/**
 * A report's directory from what the user typed: a path (relative to where `pnpm` was run, which
 * pnpm passes as INIT_CWD) to a report directory or its results.json, or a report id of `app`.
 * @throws Error naming the places it looked when there is no results.json in either.
 */
export function resolveReportDir(ref: string, app: string): string {
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const candidates = [isAbsolute(ref) ? ref : resolve(cwd, ref), join(reportsDir(app), ref)];
  for (const c of candidates) {
    if (c.endsWith('.json') && existsSync(c)) return dirname(c);
    if (existsSync(join(c, 'results.json'))) return c;
  }
  throw new Error(`no report at ${JSON.stringify(ref)} (looked in ${candidates.join(' and ')})`);
}
