// A server process of the suite's own (a redis-server or a PostgreSQL cluster for `restart`, five
// redis-servers for Redlock's `member`) on a free loopback port, which a fault may kill, pause and
// start again on the same port. Shared servers serve other tests in parallel, so faults that kill
// servers go to private ones.
import { type ChildProcess, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
  /** Fills the empty data directory once, before the first start (PostgreSQL's `initdb`). */
  readonly init?: (dir: string) => Promise<void>;
  /**
   * The user the server runs as, who then owns the data directory (PostgreSQL and MariaDB refuse
   * to run as root). @defaultValue this process's user
   */
  readonly user?: {
    /** The user's numeric id. */
    readonly uid: number;
    /** The user's primary group id. */
    readonly gid: number;
  };
  /** Where the data directory is made (it must be reachable by `user`). @defaultValue `os.tmpdir()` */
  readonly parentDir?: string;
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

/** The pids of every process below `root` (from /proc; none where there is no /proc). */
function descendants(root: number): number[] {
  if (!existsSync('/proc')) return [];
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const parent = procStat(Number(name))?.ppid;
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), Number(name)]);
  }
  const found: number[] = [];
  for (let todo = [root]; todo.length > 0; ) {
    const next = children.get(todo.pop() as number) ?? [];
    found.push(...next);
    todo.push(...next);
  }
  return found;
}

function procStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: state ?? '?', ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** Whether `pid` has exited (a zombie has: it holds nothing but its exit status). */
function exited(pid: number): boolean {
  const state = procStat(pid)?.state;
  return state === undefined || state === 'Z' || state === 'X';
}

/** One private server; {@link PrivateServer.launch} picks its port. */
export class PrivateServer {
  readonly #options: PrivateServerOptions;
  readonly #dir: string;
  #initialized = false;
  #child: ChildProcess | undefined;

  private constructor(
    /** The loopback port it serves on (kept across restarts). */
    readonly port: number,
    options: PrivateServerOptions,
  ) {
    this.#options = options;
    this.#dir = mkdtempSync(join(options.parentDir ?? tmpdir(), 'locksmith-private-'));
    const { user } = options;
    if (user !== undefined) chownSync(this.#dir, user.uid, user.gid);
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
    if (!this.#initialized) {
      await this.#options.init?.(this.#dir);
      this.#initialized = true;
    }
    const { file, args } = this.#options.command(this.port, this.#dir);
    const { user } = this.#options;
    // cwd: a directory the server's user can enter (ours may not be).
    const child = spawn(file, [...args], { stdio: 'ignore', cwd: this.#dir, ...user });
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
   * {@link PrivateServer.resume}. Only the process it started: a server that serves from
   * processes of its own (PostgreSQL's backends) keeps serving from them.
   */
  pause(): void {
    this.#child?.kill('SIGSTOP');
  }

  /** Lets a paused server run again (SIGCONT); it then answers what queued up meanwhile. */
  resume(): void {
    this.#child?.kill('SIGCONT');
  }

  /**
   * Kills the server with SIGKILL (a crash: nothing is saved), and every process it started
   * (PostgreSQL's backends: a postmaster killed alone leaves them serving, and the next start
   * refuses to run beside them), and waits until they are gone.
   */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Stopped, it starts no process while those it started are listed.
    child.kill('SIGSTOP');
    const others = child.pid === undefined ? [] : descendants(child.pid);
    for (const pid of others) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    child.kill('SIGKILL');
    await gone;
    const deadline = performance.now() + 10_000;
    while (!others.every(exited)) {
      if (performance.now() > deadline)
        throw new Error(`processes ${others.filter((p) => !exited(p)).join(', ')} outlived a SIGKILL`);
      await sleep(10);
    }
  }

  /** Kills the server and removes its data directory. */
  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
