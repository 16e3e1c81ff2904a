// A server process of the suite's own (a redis-server for `restart`, five for Redlock's `member`)
// on a free loopback port, which a fault may kill, pause and start again on the same port. Shared
// servers serve other tests in parallel, so faults that kill servers go to private ones.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '@locksmith/core/protocol';

/** How to run one private server. */
export interface PrivateServerOptions {
  /** The executable and its arguments, for the chosen port and an empty data directory of its own. */
  readonly command: (
    port: number,
    dir: string,
  ) => {
    /** The executable. */
    readonly file: string;
    /** Its arguments. */
    readonly args: readonly string[];
  };
  /**
   * Resolves the pid of the process that serves on `port` once it does (a PING answered), or
   * rejects while it does not yet. A pid other than ours means another process has the port.
   */
  readonly ready: (port: number) => Promise<number | undefined>;
  /** How long a start may take. @defaultValue 10_000 */
  readonly startMs?: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

class PortTakenError extends Error {}

/** One private server; {@link PrivateServer.launch} picks its port. */
export class PrivateServer {
  readonly #options: PrivateServerOptions;
  readonly #dir = mkdtempSync(join(tmpdir(), 'locksmith-private-'));
  #child: ChildProcess | undefined;

  private constructor(
    /** The loopback port it serves on (kept across restarts). */
    readonly port: number,
    options: PrivateServerOptions,
  ) {
    this.#options = options;
  }

  /** Starts a server on a free port (another port if one is taken meanwhile) and waits until it serves. */
  static async launch(options: PrivateServerOptions): Promise<PrivateServer> {
    for (let tries = 1; ; tries += 1) {
      const server = new PrivateServer(await freePort(), options);
      try {
        await server.start();
        return server;
      } catch (error) {
        await server.dispose();
        if (!(error instanceof PortTakenError) || tries >= 5) throw error;
      }
    }
  }

  /** Starts the server (again, on the same port, with the same data directory) and waits until it serves. */
  async start(): Promise<void> {
    const { file, args } = this.#options.command(this.port, this.#dir);
    const child = spawn(file, [...args], { stdio: 'ignore' });
    child.once('error', () => undefined); // a missing binary shows as a start that never serves
    this.#child = child;
    const deadline = performance.now() + (this.#options.startMs ?? 10_000);
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new PortTakenError(`port ${this.port} is taken`);
      try {
        const pid = await this.#options.ready(this.port);
        if (pid !== undefined && pid !== child.pid) throw new PortTakenError(`port ${this.port} is taken`);
        return;
      } catch (error) {
        if (error instanceof PortTakenError) throw error;
        if (performance.now() > deadline)
          throw new Error(
            `${file} did not serve on port ${this.port} within the start bound: ${String(error)}`,
          );
        await sleep(50);
      }
    }
  }

  /**
   * Freezes the server (SIGSTOP): its connections stay open, and nothing is answered until
   * {@link PrivateServer.resume}.
   */
  pause(): void {
    this.#child?.kill('SIGSTOP');
  }

  /** Lets a paused server run again (SIGCONT); it then answers what queued up meanwhile. */
  resume(): void {
    this.#child?.kill('SIGCONT');
  }

  /** Kills the server with SIGKILL (a crash: nothing is saved) and waits until it is gone. */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  /** Kills the server and removes its data directory. */
  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
