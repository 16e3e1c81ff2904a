// Checks every published package as npm users meet it, from the built dist (run after `pnpm build`):
//  - `pnpm pack` each into a temp dir; the tarball holds LICENSE and README, no workspace: range,
//    no source map reference that leads nowhere;
//  - publint --strict and arethetypeswrong on each tarball;
//  - per backend, a fresh npm project that installs it from the tarballs alone (only the @locksmith
//    packages it needs, none from a registry) plus its peer client from the npm registry, holds no
//    other backend's client, loads it from ESM and CJS, and type-checks a README-style use under
//    nodenext (an ESM and a CJS file), node10 and bundler resolution.
// Prints a line per check as it ends, then a table; exits 1 naming each failed package and check.
// Usage: tsx scripts/check-packages.ts [--only redis,file] [--jobs N] [--root DIR] [--keep]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BACKENDS,
  type BackendSpec,
  RESOLUTIONS,
  type Resolution,
  type TypecheckResult,
  writeFreshProject,
} from './lib/fresh-project.ts';
import { installProblems } from './lib/installed-packages.ts';
import { elapsed, pool, type RunResult, run, tail } from './lib/run.ts';
import { tarballProblems } from './lib/tarball-contents.ts';
import { locksmithClosure, type PublishedPackage, publishedPackages, readManifest } from './lib/workspace.ts';

type Check = 'files' | 'publint' | 'attw' | 'install' | 'clients' | 'esm' | 'cjs' | Resolution;
const CHECKS: readonly Check[] = [
  ...(['files', 'publint', 'attw', 'install', 'clients', 'esm', 'cjs'] as const),
  ...(Object.keys(RESOLUTIONS) as Resolution[]),
];

/**
 * attw runs per package. testkit's `./guard` (a vitest setup file) and `./holder` (a script run by
 * path) are ESM only by design, as vitest cannot be required: they are checked under the esm-only
 * profile, which leaves out node10 and require(); every other entry point gets the strict profile.
 */
const ATTW_RUNS: Record<string, string[][]> = {
  '@locksmith/testkit': [
    ['--entrypoints', '.', './package.json'],
    ['--entrypoints', './guard', './holder', '--profile', 'esm-only'],
  ],
};

/** One npm cache for all projects (npm's own); scripts off, see checkProject. */
const NPM_INSTALL = [
  'install',
  '--no-audit',
  '--no-fund',
  '--ignore-scripts',
  '--prefer-offline',
  '--loglevel=error',
];
const NPM_ENV = { ...process.env, npm_config_update_notifier: 'false' };

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    jobs: { type: 'string' },
    root: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const tools = resolve(import.meta.dirname, '..');
const root = resolve(args.root ?? tools);
const jobs = Number(args.jobs ?? Math.max(2, availableParallelism()));
const only = args.only?.split(',');
const rootLicense = readFileSync(join(root, 'LICENSE'), 'utf8');
const rootManifest = readManifest(root);
const work = mkdtempSync(join(tmpdir(), 'locksmith-packages-'));
const bin = (name: string) => join(tools, 'node_modules', '.bin', name);

const all = publishedPackages(root);
const selected = all.filter((p) => only === undefined || only.includes(p.dir));
const results = new Map<string, Map<Check, { ok: boolean; detail: string }>>();

function record(name: string, check: Check, ok: boolean, seconds: number, detail = ''): void {
  const row = results.get(name) ?? new Map();
  results.set(name, row.set(check, { ok, detail }));
  const head = detail.trimEnd().split('\n')[0] ?? '';
  console.log(
    `${elapsed()}  ${ok ? 'ok  ' : 'FAIL'}  ${name.padEnd(20)} ${check.padEnd(9)} ${seconds.toFixed(1).padStart(5)} s${ok ? '' : `  ${head}`}`,
  );
}

/** Records a command's outcome; resolves whether it passed. */
function recordRun(name: string, check: Check, result: RunResult): boolean {
  const ok = result.code === 0;
  record(name, check, ok, result.seconds, ok ? '' : `exit ${result.code}\n${tail(result.output)}`);
  return ok;
}

async function pack(p: PublishedPackage): Promise<void> {
  const result = await run('pnpm', ['pack', '--pack-destination', join(work, 'tarballs')], { cwd: p.path });
  if (result.code !== 0) throw new Error(`pnpm pack failed for ${p.manifest.name}:\n${tail(result.output)}`);
}

async function checkTarball(p: PublishedPackage): Promise<void> {
  const name = p.manifest.name;
  const tgz = join(work, 'tarballs', p.tarball);
  const t0 = performance.now();
  const unpacked = join(work, 'unpacked', p.dir);
  mkdirSync(unpacked, { recursive: true });
  const untar = await run('tar', ['-xzf', tgz, '-C', unpacked], { cwd: work });
  const problems = untar.code === 0 ? tarballProblems(unpacked, rootLicense) : [`tar: ${untar.output}`];
  record(name, 'files', problems.length === 0, (performance.now() - t0) / 1000, problems.join('\n'));
  recordRun(name, 'publint', await run(bin('publint'), ['run', tgz, '--strict'], { cwd: work }));
  const attwRuns = ATTW_RUNS[name] ?? [[]];
  let attw: RunResult = { code: 0, output: '', seconds: 0 };
  for (const extra of attwRuns) {
    const one = await run(
      bin('attw'),
      [tgz, '--format', 'ascii', '--no-emoji', '--no-color', '--no-definitely-typed', ...extra],
      { cwd: work },
    );
    attw = {
      code: attw.code || one.code,
      output: attw.output + one.output,
      seconds: attw.seconds + one.seconds,
    };
  }
  recordRun(name, 'attw', attw);
}

async function checkProject(spec: BackendSpec, p: PublishedPackage): Promise<void> {
  const name = p.manifest.name;
  const dir = join(work, 'projects', spec.dir);
  const needed = locksmithClosure(name, all);
  const registry: Record<string, string> = {};
  for (const lib of [spec.peer, spec.peerTypes]) {
    if (lib === undefined) continue;
    const version = p.manifest.devDependencies?.[lib];
    if (version === undefined) throw new Error(`${name} has no pinned devDependency on ${lib} to install`);
    registry[lib] = version;
  }
  writeFreshProject(dir, {
    spec,
    tarballs: new Map(needed.map((n) => [n.manifest.name, join(work, 'tarballs', n.tarball)])),
    registry,
  });
  // No install scripts: no @locksmith package has one, and zookeeper's native build (about a
  // minute) would test zookeeper, not us; nothing here loads the client library at run time.
  const install = await run('npm', NPM_INSTALL, { cwd: dir, env: NPM_ENV });
  if (!recordRun(name, 'install', install)) return;

  const t0 = performance.now();
  const problems = installProblems(dir, spec.peer, new Set(needed.map((n) => n.manifest.name)));
  record(name, 'clients', problems.length === 0, (performance.now() - t0) / 1000, problems.join('\n'));

  const env = { ...process.env, CHECK_DIR: join(dir, 'locks') };
  mkdirSync(env.CHECK_DIR, { recursive: true });
  recordRun(name, 'esm', await run('node', ['check.mjs'], { cwd: dir, env, timeoutMs: 60_000 }));
  recordRun(name, 'cjs', await run('node', ['check.cjs'], { cwd: dir, env, timeoutMs: 60_000 }));
  const typecheck = await run(
    'node',
    ['--import', 'tsx', join('scripts', 'lib', 'typecheck-project.ts'), dir],
    {
      cwd: tools,
    },
  );
  // Its last line is the JSON; anything before it (a warning) is kept for a failure message.
  let byResolution: Record<string, TypecheckResult> = {};
  try {
    byResolution = JSON.parse(typecheck.output.trimEnd().split('\n').at(-1) ?? '') as typeof byResolution;
  } catch {
    byResolution = {};
  }
  for (const resolution of Object.keys(RESOLUTIONS) as Resolution[]) {
    const r = byResolution[resolution];
    if (r === undefined)
      record(name, resolution, false, typecheck.seconds, `exit ${typecheck.code}\n${tail(typecheck.output)}`);
    else record(name, resolution, r.ok, r.seconds, tail(r.output));
  }
}

/**
 * @types/node for every project, installed once in their parent folder: TypeScript finds it there
 * as it would in the project, and no project's own node_modules holds anything but what it installed.
 */
async function installNodeTypes(): Promise<void> {
  const parent = join(work, 'projects');
  mkdirSync(parent, { recursive: true });
  const version = rootManifest.devDependencies?.['@types/node'];
  if (version === undefined) throw new Error('the root package.json pins no @types/node');
  const manifest = { name: 'check-node-types', private: true, dependencies: { '@types/node': version } };
  writeFileSync(join(parent, 'package.json'), JSON.stringify(manifest));
  const result = await run('npm', NPM_INSTALL, { cwd: parent, env: NPM_ENV });
  if (result.code !== 0) throw new Error(`npm install @types/node failed:\n${tail(result.output)}`);
  console.log(
    `${elapsed()}  installed @types/node@${version} for the projects (${result.seconds.toFixed(1)} s)`,
  );
}

function printSummary(): void {
  const columns = CHECKS.filter((c) => [...results.values()].some((row) => row.has(c)));
  const width = Math.max(...[...results.keys()].map((n) => n.length));
  console.log(`\n${'package'.padEnd(width)}  ${columns.map((c) => c.padEnd(8)).join(' ')}`);
  for (const p of selected) {
    const row = results.get(p.manifest.name);
    const cells = columns.map((c) => {
      const cell = row?.get(c);
      return (cell === undefined ? '-' : cell.ok ? 'ok' : 'FAIL').padEnd(8);
    });
    console.log(`${p.manifest.name.padEnd(width)}  ${cells.join(' ')}`);
  }
}

async function main(): Promise<number> {
  if (selected.length === 0) throw new Error(`no published package matches --only ${args.only}`);
  console.log(`checking ${selected.length} packages from ${root} in ${work} (${jobs} at a time)`);
  // The selected packages and the @locksmith packages their projects install with them.
  const packed = [...new Set(selected.flatMap((p) => locksmithClosure(p.manifest.name, all)))];
  await pool(
    jobs,
    packed.map((p) => () => pack(p)),
  );
  console.log(`${elapsed()}  packed ${packed.length} tarballs`);
  const projects = BACKENDS.flatMap((spec) => {
    const p = selected.find((s) => s.dir === spec.dir);
    return p === undefined ? [] : [() => checkProject(spec, p)];
  });
  if (projects.length > 0) await installNodeTypes();
  // Projects first: their npm installs are the long pole.
  await pool(jobs, [...projects, ...selected.map((p) => () => checkTarball(p))]);
  printSummary();
  const failures = [...results].flatMap(([name, row]) =>
    [...row].filter(([, r]) => !r.ok).map(([check, r]) => `${name}: ${check} failed\n${r.detail}`),
  );
  console.log(
    `\n${elapsed()}  ${failures.length === 0 ? 'all checks passed' : `${failures.length} checks failed`}`,
  );
  for (const failure of failures) console.error(`\n${failure}`);
  return failures.length === 0 ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
} finally {
  if (args.keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
process.exit(code);
