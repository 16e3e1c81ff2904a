import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** How to start one of the testkit's child scripts: the file and the `execArgv` node needs for it. */
export interface ChildCommand {
  readonly file: string;
  readonly execArgv: readonly string[];
}

const TS_FILE = /\.[cm]?tsx?$/;

/** Turns a module path or URL into an importable URL. Relative paths are taken from the cwd. */
export function moduleUrl(module: string): string {
  // Two or more letters before the colon: a URL scheme, not a Windows drive letter.
  return /^[a-z][a-z0-9+.-]+:/i.test(module) ? module : pathToFileURL(resolve(module)).href;
}

/**
 * Resolves tsx's ESM loader from the cwd (where a project's devDependencies live), then from the
 * given module's folder, so a child can import TypeScript.
 * @throws Error when tsx is not installed.
 */
function tsxLoader(near: readonly string[]): string {
  for (const base of [join(process.cwd(), 'noop.js'), ...near]) {
    try {
      return pathToFileURL(createRequire(base).resolve('tsx')).href;
    } catch {
      // try the next base
    }
  }
  throw new Error(
    'a TypeScript module needs tsx in a child process: install tsx (devDependency) or pass execArgv',
  );
}

/** Where each script's source lives under src/ (built, every one is `dist/<name>.mjs`). */
const SOURCES = {
  holder: './holder.ts',
  'safety-worker': './safety-worker.ts',
  'fault-worker': './faults/fault-worker.ts',
} as const;

/**
 * The command for the testkit's own script `name`, next to this file: `dist/<name>.mjs` once
 * built, its source under `src/` (through tsx) when the testkit runs from source.
 * `modules` are the user modules the child will import; TypeScript ones add tsx as well.
 */
export function childCommand(
  name: keyof typeof SOURCES,
  modules: readonly string[],
  execArgv?: readonly string[],
): ChildCommand {
  const here = import.meta.url;
  const fromSource = TS_FILE.test(fileURLToPath(here));
  const file = fileURLToPath(new URL(fromSource ? SOURCES[name] : `./${name}.mjs`, here));
  if (execArgv !== undefined) return { file, execArgv };
  const urls = modules.map(moduleUrl);
  const needsTsx = fromSource || urls.some((url) => TS_FILE.test(new URL(url).pathname));
  const near = urls.filter((url) => url.startsWith('file:')).map((url) => fileURLToPath(url));
  return { file, execArgv: needsTsx ? ['--import', tsxLoader([...near, fileURLToPath(here)])] : [] };
}
