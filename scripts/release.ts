// pnpm release [--dry-run] [--check-packages] [--keep]: builds, applies the pending changesets (`changeset version`) and
// runs `pnpm publish -r --dry-run`. It never publishes: after a real run, review and commit the
// versions and changelogs, then publish by hand.
//   (default)   in this checkout, which keeps the new versions, CHANGELOG.md files and consumed changesets;
//   --dry-run   a rehearsal (what CI runs): the same in a temporary git worktree holding this checkout's
//               files, committed or not; this checkout is left exactly as it was.
//   --check-packages  then runs scripts/check-packages.ts on the versioned packages.
// The build comes before `changeset version`: no built file holds a version, so the artifacts are
// the same, and turbo's cache of the current tree serves it.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { elapsed, type RunResult, run, tail } from './lib/run.ts';
import { publishedPackages } from './lib/workspace.ts';

const { values: args } = parseArgs({
  options: {
    'dry-run': { type: 'boolean', default: false },
    'check-packages': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const root = resolve(import.meta.dirname, '..');

function step(title: string): void {
  console.log(`\n== ${title} (${elapsed().trim()})`);
}

async function must(command: string, argv: string[], cwd: string, echo = false): Promise<RunResult> {
  const result = await run(command, argv, { cwd, echo, timeoutMs: 900_000 });
  if (result.code !== 0) {
    throw new Error(
      `\`${command} ${argv.join(' ')}\` failed (exit ${result.code}):\n${tail(result.output, 40)}`,
    );
  }
  return result;
}

/**
 * A worktree of HEAD in `dir`, then this checkout's uncommitted changes (tracked or untracked, not
 * ignored) copied over it. Returns how many paths differed from HEAD.
 */
async function replicate(dir: string): Promise<number> {
  await must('git', ['worktree', 'add', '--quiet', '--detach', dir, 'HEAD'], root);
  const status = await must('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all'], root);
  const entries = status.output.split('\0').filter((e) => e !== '');
  let changed = 0;
  for (let i = 0; i < entries.length; i += 1) {
    const entry = entries[i] ?? '';
    const path = entry.slice(3);
    // A rename lists its new path, then the old one as the next entry.
    if (entry[0] === 'R' || entry[0] === 'C') {
      const old = entries[i + 1] ?? '';
      i += 1;
      if (entry[0] === 'R') rmSync(join(dir, old), { force: true });
    }
    changed += 1;
    if (existsSync(join(root, path))) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      cpSync(join(root, path), join(dir, path));
    } else {
      rmSync(join(dir, path), { force: true });
    }
  }
  return changed;
}

function pendingChangesets(dir: string): string[] {
  return readdirSync(join(dir, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
}

async function release(tree: string): Promise<string[]> {
  const problems: string[] = [];
  step('pnpm install');
  await must('pnpm', ['install', '--frozen-lockfile', '--prefer-offline'], tree);

  step('build');
  await must('pnpm', ['turbo', 'run', 'build', '--output-logs=errors-only'], tree, true);

  step('changeset version');
  const before = publishedPackages(tree).map((p) => ({
    name: p.manifest.name,
    version: p.manifest.version,
    released: existsSync(join(p.path, 'CHANGELOG.md')),
  }));
  const pending = pendingChangesets(tree).length;
  await must('pnpm', ['changeset', 'version'], tree);
  const after = new Map(publishedPackages(tree).map((p) => [p.manifest.name, p.manifest.version]));
  console.log(`applied ${pending} changesets`);
  for (const { name, version, released } of before) {
    const next = after.get(name) ?? '?';
    const note = released ? '' : '  (first release)';
    console.log(`  ${name.padEnd(22)} ${version.padEnd(8)} -> ${next}${note}`);
    // changesets takes a never-released 0.0.0 package with a minor changeset to 0.1.0.
    if (!released && next !== '0.1.0') problems.push(`${name}: a first release must be 0.1.0, not ${next}`);
  }
  const left = pendingChangesets(tree);
  if (left.length > 0) problems.push(`changesets left after changeset version: ${left.join(', ')}`);

  step('pnpm publish -r --dry-run');
  const publish = await must('pnpm', ['publish', '-r', '--dry-run', '--no-git-checks'], tree, true);
  for (const [name, version] of after) {
    if (!publish.output.includes(`${name}@${version}`)) {
      problems.push(`pnpm publish --dry-run did not list ${name}@${version}`);
    }
  }
  if (args['check-packages']) {
    step('check-packages on the versioned packages');
    const check = await run('pnpm', ['exec', 'tsx', 'scripts/check-packages.ts', '--root', tree], {
      cwd: root,
      echo: true,
      timeoutMs: 900_000,
    });
    if (check.code !== 0) problems.push('check-packages failed on the versioned packages (see above)');
  }
  return problems;
}

async function main(): Promise<number> {
  let tree = root;
  let temp: string | undefined;
  const cleanUp = async () => {
    if (temp === undefined) return;
    if (args.keep) return void console.log(`kept ${tree}`);
    await run('git', ['worktree', 'remove', '--force', tree], { cwd: root });
    rmSync(temp, { recursive: true, force: true });
    temp = undefined;
  };
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));
  process.once('SIGTERM', () => void cleanUp().finally(() => process.exit(143)));
  try {
    if (args['dry-run']) {
      temp = mkdtempSync(join(tmpdir(), 'locksmith-release-'));
      tree = join(temp, 'tree');
      const head = (await must('git', ['rev-parse', '--short', 'HEAD'], root)).output.trim();
      const changed = await replicate(tree);
      console.log(`rehearsing in ${tree}: HEAD ${head} and ${changed} uncommitted paths of this checkout`);
    } else {
      console.log(
        `releasing in ${root} (versions, changelogs and changesets change here; nothing is published)`,
      );
    }
    const problems = await release(tree);
    step(problems.length === 0 ? 'release rehearsed' : 'release failed');
    for (const problem of problems) console.error(`  ${problem}`);
    if (problems.length === 0 && !args['dry-run']) {
      console.log('review the versions and CHANGELOG.md files, commit them, then `pnpm publish -r`');
    }
    return problems.length === 0 ? 0 : 1;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return 1;
  } finally {
    await cleanUp();
  }
}

process.exit(await main());
