// node-zookeeper 7.3 aborts the process when a ZooKeeper client is opened in the turn where another
// client's dropped connection runs its callbacks (see onSafeTurn). The child process opens one right
// where a settled watch lets code continue; without the deferral it dies in about half the runs.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REQUIRED, skipFor, ZOOKEEPER_HOSTS } from './servers.ts';

const skip = await skipFor();
const CHILD = fileURLToPath(new URL('./safe-turn-child.ts', import.meta.url));
const RUNS = 6;

function runChild(): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, LOCKSMITH_ZOOKEEPER_HOSTS: ZOOKEEPER_HOSTS },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output += String(chunk);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, output }));
  });
}

describe.skipIf(skip !== undefined && !REQUIRED)(
  `a client opened where a dropped connection's callbacks continue${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it(`does not abort the process (${RUNS} runs)`, { timeout: 120_000 }, async () => {
      if (skip) throw new Error(skip);
      for (let run = 1; run <= RUNS; run++) {
        const { code, signal, output } = await runChild();
        const lastLines = output
          .split('\n')
          .filter((line) => !line.includes('ZOO_'))
          .slice(-5)
          .join('\n');
        expect({ run, code, signal }, `child output:\n${lastLines}`).toEqual({ run, code: 0, signal: null });
        expect(output).toContain('new client connected');
      }
    });
  },
);
