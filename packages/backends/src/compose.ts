// The docker compose runner: the same members as compose services, in project `locksmith`.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { COMPOSE_FILE } from './paths.ts';

const run = promisify(execFile);

export async function compose(args: string[], timeoutMs = 300_000): Promise<string> {
  try {
    const { stdout } = await run('docker', ['compose', '-f', COMPOSE_FILE, '-p', 'locksmith', ...args], {
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(
      `docker compose ${args.join(' ')}: ${(e.stderr ?? e.message).trim().split('\n').slice(-3).join(' ')}`,
    );
  }
}

/** Compose service names that have a running container. */
export async function composeRunning(): Promise<Set<string>> {
  const out = await compose(['ps', '--services', '--status', 'running']);
  return new Set(
    out
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}
