// `pnpm bench:profile --mechanism <m> --scenario <s> [--quick] [--keep-servers]`: one scenario under
// clinic doctor and clinic flame, all workers in one process so the profile sees the lock client's
// work. The servers it needs are found (or started) once, here, for both tools.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { releaseStartedServers } from '@locksmith/app-kit';
import { adapterNamed } from './adapters/registry.ts';
import { prepareBackends } from './backends.ts';
import { scenarioNamed } from './scenarios/registry.ts';

function option(args: string[], name: string): string | undefined {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return args[i]!.includes('=') ? args[i]!.split('=')[1] : args[i + 1];
}

const args = process.argv.slice(2).filter((a) => a !== '--');
const mechanism = option(args, 'mechanism');
const scenario = option(args, 'scenario');
if (mechanism === undefined || scenario === undefined) {
  process.stderr.write(
    'usage: pnpm bench:profile --mechanism <m> --scenario <s> [--quick] [--keep-servers]\n',
  );
  process.exit(2);
}
const adapter = adapterNamed(mechanism);
if (scenarioNamed(scenario).name === 'recovery') {
  process.stderr.write('recovery kills a worker process; profile another scenario\n');
  process.exit(2);
}
const appDir = fileURLToPath(new URL('..', import.meta.url));
const dest = join(
  appDir,
  '.clinic',
  `${new Date().toISOString().slice(0, 19).replace(/:/g, '-')}Z-${mechanism}-${scenario}`,
);
const clinic = join(appDir, 'node_modules', '.bin', 'clinic');
const target = [
  'node',
  '--import',
  'tsx',
  'src/profile-target.ts',
  mechanism,
  scenario,
  args.includes('--quick') ? 'quick' : 'full',
];
// Sets LOCKSMITH_* in process.env, which both clinic runs inherit: they find the servers serving.
const backends = await prepareBackends(adapter.requires, (line) => process.stderr.write(`${line}\n`));
const missing = [...backends.missing.values()][0];
let ok = false;
try {
  if (missing === undefined) ok = profile();
  else process.stderr.write(`${adapter.name}: ${missing}\n`);
} finally {
  // The run's last line: what became of the servers it started (none when all already served).
  const line = await releaseStartedServers(backends.started, args.includes('--keep-servers'));
  if (line !== undefined) process.stdout.write(`${line}\n`);
}
process.exitCode = ok ? 0 : 1;

/** Runs the target under each clinic tool; false when one wrote no HTML report. */
function profile(): boolean {
  let ok = true;
  for (const tool of ['doctor', 'flame']) {
    const toolDest = join(dest, tool);
    mkdirSync(toolDest, { recursive: true });
    process.stderr.write(`clinic ${tool}: ${target.join(' ')}\n`);
    // clinic asks for analytics consent on a TTY and silently writes nothing without one unless NO_INSIGHT is set.
    const r = spawnSync(clinic, [tool, '--open=false', '--dest', toolDest, '--', ...target], {
      cwd: appDir,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NO_INSIGHT: '1' },
    });
    // The exit code proves nothing (clinic exits 0 having written nothing): look for the HTML.
    const html = existsSync(toolDest) ? readdirSync(toolDest).filter((f) => f.endsWith('.html')) : [];
    if (html.length === 0) {
      process.stderr.write(`clinic ${tool} wrote no HTML report (exit ${r.status})\n`);
      ok = false;
    } else {
      process.stdout.write(`clinic ${tool} report: ${join(toolDest, html[0]!)}\n`);
    }
  }
  return ok;
}
