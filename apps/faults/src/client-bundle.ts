import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The client modules of src/clients/, by file name (without `.ts`). */
export type ClientFile = 'file' | 'redis' | 'etcd' | 'zookeeper' | 'consul' | 'postgres' | 'mysql';

const CLIENTS: readonly ClientFile[] = ['file', 'redis', 'etcd', 'zookeeper', 'consul', 'postgres', 'mysql'];
const SRC = fileURLToPath(new URL('./clients/', import.meta.url));
const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

let bundled: Promise<(file: ClientFile) => string> | undefined;

/**
 * The path of each client module as the worker processes load it: every module of src/clients/
 * bundled into one ES module with esbuild (a worker then starts in plain Node, without tsx's
 * loader: a process costs about a third of the CPU, which counts on 2 cores). Packages stay
 * external; the bundles live under this app's node_modules so they resolve as from the source,
 * and go when this process exits. Falls back to the TypeScript sources (workers then use tsx).
 */
export function clientModules(): Promise<(file: ClientFile) => string> {
  bundled ??= bundle();
  return bundled;
}

async function bundle(): Promise<(file: ClientFile) => string> {
  const dir = join(APP_DIR, 'node_modules', '.cache', 'locksmith-faults', String(process.pid));
  try {
    const { build } = await import('esbuild');
    mkdirSync(dir, { recursive: true });
    await build({
      entryPoints: CLIENTS.map((c) => join(SRC, `${c}.ts`)),
      outdir: dir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'silent',
    });
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return (file) => join(dir, `${file}.mjs`);
  } catch {
    return (file) => join(SRC, `${file}.ts`);
  }
}
