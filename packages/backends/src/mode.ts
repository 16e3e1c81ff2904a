// Which runner `up` uses: docker compose when a Docker engine answers, else native processes.
// The choice is written to .backends/run/mode so down/stop/start use the runner that started things.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir, runDir } from './paths.ts';

export type Mode = 'native' | 'compose';

const modeFile = () => join(runDir(), 'mode');

function succeeds(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** `docker info` answers (an engine, not only the CLI) and the compose plugin exists. */
export function dockerAvailable(): boolean {
  return succeeds('docker', ['info']) && succeeds('docker', ['compose', 'version']);
}

/** LOCKSMITH_BACKENDS_MODE wins; then the mode recorded by the last `up`; then detection. */
export function currentMode(): Mode {
  const forced = process.env.LOCKSMITH_BACKENDS_MODE;
  if (forced === 'native' || forced === 'compose') return forced;
  if (existsSync(modeFile())) {
    const recorded = readFileSync(modeFile(), 'utf8').trim();
    if (recorded === 'native' || recorded === 'compose') return recorded;
  }
  return dockerAvailable() ? 'compose' : 'native';
}

export function recordMode(mode: Mode): void {
  ensureDir(runDir());
  writeFileSync(modeFile(), `${mode}\n`);
}
