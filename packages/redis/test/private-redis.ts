// Throwaway redis-server processes for the tests that kill, pause or restart a server. The
// launcher's shared servers are used by other test files running in parallel, so faults go to
// servers of our own: same binary and settings as the launcher's (no automatic persistence; a
// test may still SAVE, and a restart then loads that RDB file, as Redis's default config would),
// on free loopback ports.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { connect } from './servers.ts';

/** Path of redis-server, or undefined when it is not installed. */
export function redisServerBinary(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Why the private-server tests of a file skip here, or `undefined` when redis-server exists. */
export function privateRedisSkip(): string | undefined {
  return redisServerBinary() === undefined
    ? 'redis-server is not installed (apt-get install redis-server)'
    : undefined;
}

/**
 * A function that connects to `url` (see servers.ts `connect`); every client it opened, or was
 * given through `adopt`, is disconnected after the calling file's tests.
 */
export function clientsClosedAfterAll(): ((url: string) => Redis) & { adopt(client: Redis): Redis } {
  const opened: Redis[] = [];
  afterAll(() => {
    for (const c of opened) c.disconnect();
  });
  const adopt = (client: Redis) => {
    opened.push(client);
    return client;
  };
  return Object.assign((url: string) => adopt(connect(url)), { adopt });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Our redis-server could not listen: another process (another test file's server) has the port. */
class PortTakenError extends Error {
  constructor(port: number) {
    super(`port ${port} is taken by another process`);
  }
}

/** One private Redis server that a test may kill and start again on the same port. */
export class PrivateRedis {
  #process: ChildProcess | undefined;
  readonly #dir = mkdtempSync(join(tmpdir(), 'locksmith-redis-'));

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    // freePort() only says the port was free a moment ago: another test file may take it first.
    for (let tries = 1; ; tries += 1) {
      const server = new PrivateRedis(await freePort());
      try {
        await server.start();
        return server;
      } catch (error) {
        await server.stop();
        if (!(error instanceof PortTakenError) || tries >= 5) throw error;
      }
    }
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts (or restarts) the server and waits until it answers PING. */
  async start(): Promise<void> {
    const binary = redisServerBinary() ?? 'redis-server';
    const args = [
      '--bind',
      '127.0.0.1',
      '--port',
      String(this.port),
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      this.#dir,
    ];
    const child = spawn(binary, args, { stdio: 'ignore' });
    this.#process = child;
    const deadline = performance.now() + 10_000;
    for (;;) {
      const probe = new Redis(this.url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      probe.on('error', () => undefined);
      try {
        if (child.exitCode !== null) throw new PortTakenError(this.port);
        await probe.connect();
        // The server that answers must be ours, not another test's that holds the port.
        const pid = /^process_id:(\d+)/m.exec(await probe.info('server'))?.[1];
        if (pid !== String(child.pid)) throw new PortTakenError(this.port);
        return;
      } catch (error) {
        if (error instanceof PortTakenError) throw error;
        if (performance.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 50));
      } finally {
        probe.disconnect();
      }
    }
  }

  /** Freezes the server (SIGSTOP): connections stay open, nothing is answered until {@link resume}. */
  pause(): void {
    this.#process?.kill('SIGSTOP');
  }

  /** Lets a paused server run again (SIGCONT); it then runs the commands that queued up. */
  resume(): void {
    this.#process?.kill('SIGCONT');
  }

  /** Kills the server (SIGKILL: no clean shutdown) and waits for it to exit. */
  async kill(): Promise<void> {
    const child = this.#process;
    this.#process = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
