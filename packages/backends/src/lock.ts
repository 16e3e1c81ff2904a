// One launcher at a time across processes (several vitest projects, a CLI in another terminal):
// an atomic mkdir lock holding the owner's pid, taken over when that owner is dead.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir, runDir } from './paths.ts';

const lockDir = () => join(runDir(), 'launcher.lock');
let chain: Promise<unknown> = Promise.resolve();

function ownerAlive(): boolean {
  try {
    const pid = Number(readFileSync(join(lockDir(), 'owner'), 'utf8'));
    if (pid === process.pid) return false; // a previous run of ours that crashed mid-way
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function acquire(timeoutMs: number): Promise<void> {
  ensureDir(runDir());
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lockDir());
      writeFileSync(join(lockDir(), 'owner'), String(process.pid));
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // the owner file is written right after mkdir: give a fresh lock a moment before judging it
      if (!ownerAlive()) {
        await new Promise((r) => setTimeout(r, 100));
        if (!ownerAlive()) rmSync(lockDir(), { recursive: true, force: true });
        continue;
      }
      if (performance.now() > deadline)
        throw new Error(`another launcher holds ${lockDir()} for over ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Runs fn while holding the launcher lock; calls from this process queue up. */
export function withLauncherLock<T>(fn: () => Promise<T>, timeoutMs = 300_000): Promise<T> {
  const run = chain.then(async () => {
    await acquire(timeoutMs);
    try {
      return await fn();
    } finally {
      rmSync(lockDir(), { recursive: true, force: true });
    }
  });
  chain = run.catch(() => {});
  return run;
}
