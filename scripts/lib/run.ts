// Child processes and a small task pool for the repository scripts (check-packages, release).
import { spawn } from 'node:child_process';

export interface RunResult {
  readonly code: number;
  /** stdout and stderr interleaved, as a person would read them. */
  readonly output: string;
  readonly seconds: number;
}

export interface RunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Killed (and reported as failed) after this long. @defaultValue 300 s */
  readonly timeoutMs?: number;
  /** Streams the output to this process's stdout as well (long steps a person watches). */
  readonly echo?: boolean;
}

const started = performance.now();

/** Seconds since the script started, for progress lines. */
export function elapsed(): string {
  return `${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s`;
}

/** Runs `command args` without a shell; never rejects (a spawn error is code 127). */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => {
      chunks.push(Buffer.from(`\n[killed after ${options.timeoutMs ?? 300_000} ms]\n`));
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 300_000);
    const collect = (chunk: Buffer) => {
      chunks.push(chunk);
      if (options.echo === true) process.stdout.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const done = (code: number) => {
      clearTimeout(timer);
      const seconds = (performance.now() - t0) / 1000;
      resolve({ code, output: Buffer.concat(chunks).toString('utf8'), seconds });
    };
    child.on('error', (error) => {
      chunks.push(Buffer.from(`${error.message}\n`));
      done(127);
    });
    child.on('close', (code, signal) => done(code ?? (signal === null ? 1 : 128)));
  });
}

/** Runs `tasks` with at most `jobs` at once, in order of the list; resolves when all have ended. */
export async function pool(jobs: number, tasks: ReadonlyArray<() => Promise<void>>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next];
      next += 1;
      await task?.();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, tasks.length)) }, worker));
}

/** The last `lines` lines of a command's output, indented, for a failure message. */
export function tail(output: string, lines = 25): string {
  return output
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((line) => `      ${line}`)
    .join('\n');
}
