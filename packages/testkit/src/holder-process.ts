import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { InvalidArgumentError } from '@locksmith/core';
import { validateInteger, validateKey } from '@locksmith/core/protocol';
import { childCommand } from './child-scripts.ts';
import { type ClientModule, DEFAULT_CLIENT_EXPORT } from './client-module.ts';
import { scaled } from './time-scale.ts';

/** Options of {@link spawnHolder}. */
export interface SpawnHolderOptions extends ClientModule {
  /** The key the child acquires. */
  readonly key: string;
  /** Lease length the child acquires with. @defaultValue the backend's default (30 s) */
  readonly ttlMs?: number;
  /** @defaultValue true */
  readonly autoRenew?: boolean;
  /** How long to wait for the child to print `HOLDING`. @defaultValue `scaled(20_000)` */
  readonly startMs?: number;
  /** Node flags for the child. @defaultValue tsx's loader when a module is TypeScript, else none */
  readonly execArgv?: readonly string[];
}

/** A child process that holds a lock (the testkit's `holder` script). */
export interface HolderProcess {
  /** The child process itself. */
  readonly child: ChildProcess;
  /** The fencing token the child printed. */
  readonly token: bigint;
  /** Lines the child printed after `HOLDING` (`LOST …`, `RELEASED`, `ERROR …`). */
  readonly lines: readonly string[];
  /** Resolves when the child has exited. */
  readonly exited: Promise<{
    /** Its exit code, or `null` when a signal ended it. */
    code: number | null;
    /** The signal that ended it, or `null`. */
    signal: NodeJS.Signals | null;
  }>;
  /** Asks the child to release and exit; resolves when it has. */
  release(): Promise<void>;
  /** Kills the child (default `SIGKILL`: no cleanup, the lease is abandoned mid-flight). */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts the `holder` script in a child process and resolves once it holds `key`.
 * @throws InvalidArgumentError on a bad key or ttl; Error when the child fails or does not hold the
 *   lock within `startMs` (the child is killed then).
 */
export async function spawnHolder(options: SpawnHolderOptions): Promise<HolderProcess> {
  validateKey(options.key);
  if (typeof options.module !== 'string' || options.module === '') {
    throw new InvalidArgumentError('options.module', 'must be a non-empty path or URL');
  }
  const args = [
    '--module',
    options.module,
    '--export',
    options.exportName ?? DEFAULT_CLIENT_EXPORT,
    '--key',
    options.key,
  ];
  if (options.ttlMs !== undefined)
    args.push('--ttl-ms', String(validateInteger('options.ttlMs', options.ttlMs, { min: 1 })));
  if (options.autoRenew === false) args.push('--no-renew');
  const command = childCommand('holder', [options.module], options.execArgv);
  const child = spawn(process.execPath, [...command.execArgv, command.file, ...args], {
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  child.stdin?.on('error', () => undefined); // writing to a killed child must not crash the parent
  const lines: string[] = [];
  const output = createInterface({ input: child.stdout! });
  const startMs = options.startMs ?? scaled(20_000);

  const token = await new Promise<bigint>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`holder did not print HOLDING within ${startMs} ms`));
    }, startMs);
    timer.unref();
    output.on('line', (line) => {
      const match = /^HOLDING (-?\d+)$/.exec(line);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(BigInt(match[1]));
      } else lines.push(line);
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(`holder exited (code ${code}, signal ${signal}) before holding: ${lines.join(' | ')}`),
      );
    });
  });

  return {
    child,
    token,
    lines,
    exited,
    async release() {
      if (child.exitCode === null && child.signalCode === null) child.stdin?.write('release\n');
      await exited;
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
