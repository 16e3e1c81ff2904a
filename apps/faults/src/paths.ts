import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest directory above this app with a pnpm-workspace.yaml. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root (pnpm-workspace.yaml)');
    dir = up;
  }
  return dir;
}

/** Where reports are written: faults/reports/ at the repository root. */
export function reportsDir(): string {
  return join(repoRoot(), 'faults', 'reports');
}

/** A report's directory from a path (relative to where pnpm was run: INIT_CWD) or a report id. */
export function resolveReportDir(ref: string): string {
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const candidates = [isAbsolute(ref) ? ref : resolve(cwd, ref), join(reportsDir(), ref)];
  for (const c of candidates) {
    if (c.endsWith('.json') && existsSync(c)) return dirname(c);
    if (existsSync(join(c, 'results.json'))) return c;
  }
  throw new Error(`no report at ${JSON.stringify(ref)} (looked in ${candidates.join(' and ')})`);
}
