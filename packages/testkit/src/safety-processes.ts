import { type ChildProcess, fork } from 'node:child_process';
import { InvalidArgumentError } from '@locksmith/core';
import { validateInteger } from '@locksmith/core/protocol';
import { childCommand } from './child-scripts.ts';
import { DEFAULT_CLIENT_EXPORT } from './client-module.ts';
import { applyToLedger, type LedgerReply } from './ledger-ipc.ts';
import { resolveSafetyOptions, type SafetyCommonOptions, type SafetyReport, safetyReport } from './safety.ts';
import {
  SAFETY_CONFIG_ENV,
  type SafetyChildConfig,
  type SafetyDone,
  type SafetyRequest,
} from './safety-ipc.ts';
import { SafetyLedger } from './safety-ledger.ts';
import type { SafetyWorkerStats } from './safety-worker-loop.ts';
import { scaled } from './time-scale.ts';

/** Options of {@link checkSafetyAcrossProcesses}. */
export interface SafetyProcessesOptions extends SafetyCommonOptions {
  /**
   * Absolute path or URL of a module whose export (`exportName`) is
   * `(env) => LockClient | Promise<LockClient>`; each worker process builds its client with it.
   * TypeScript modules run through tsx.
   */
  readonly workerModule: string;
  /** @defaultValue `'createClient'` */
  readonly exportName?: string;
  /** Extra environment for the workers (a server URL, a lock directory). */
  readonly env?: Readonly<Record<string, string>>;
  /** Node flags for the workers. @defaultValue tsx's loader when a module is TypeScript, else none */
  readonly execArgv?: readonly string[];
  /** The whole run's limit; on expiry every worker is killed and the promise rejects. @defaultValue `scaled(180_000)` */
  readonly timeoutMs?: number;
}

/** A cross-process report: also counts workers that died by a signal (a fault killed them). */
export interface SafetyProcessesReport extends SafetyReport {
  /** Workers that exited by a signal (a fault killed them) before finishing their increments. */
  readonly workersKilled: number;
}

const OWN = ['workerModule', 'exportName', 'env', 'execArgv', 'timeoutMs'];

/**
 * The safety checker with each worker in its own process, for backends whose locks span
 * processes (file, redis…). The parent owns the counter, the fence and the overlap detector; a
 * worker asks it over IPC for every enter, read, write and exit and waits for the answer, so the
 * parent sees them in their real order. `fault` runs in the parent with `step.child`, e.g.
 * `SIGSTOP` the holder past its TTL, then `SIGCONT`.
 * @throws InvalidArgumentError on a bad option, before any process starts; Error when a worker
 *   exits with an error code or the run exceeds `timeoutMs`.
 */
export async function checkSafetyAcrossProcesses(
  options: SafetyProcessesOptions,
): Promise<SafetyProcessesReport> {
  const resolved = resolveSafetyOptions(options, OWN);
  if (typeof options.workerModule !== 'string' || options.workerModule === '') {
    throw new InvalidArgumentError('options.workerModule', 'must be a non-empty path or URL');
  }
  const timeoutMs =
    options.timeoutMs === undefined
      ? scaled(180_000)
      : validateInteger('options.timeoutMs', options.timeoutMs, { min: 1 });
  const command = childCommand('safety-worker', [options.workerModule], options.execArgv);
  const ledger = new SafetyLedger(resolved.plan.key, resolved.fence);
  const children = new Set<ChildProcess>();
  let workersKilled = 0;
  // Start barrier: process start-up takes long enough that a worker could finish before the next
  // one exists, so no worker starts its loop until every live worker has built its client.
  let starting = resolved.workers;
  const waitingToStart: (() => void)[] = [];
  const startIfAllReady = () => {
    if (waitingToStart.length >= starting) for (const start of waitingToStart.splice(0)) start();
  };

  const runWorker = (worker: number) =>
    new Promise<SafetyWorkerStats | undefined>((resolve, reject) => {
      const config: SafetyChildConfig = {
        ...resolved.plan,
        worker,
        module: options.workerModule,
        exportName: options.exportName ?? DEFAULT_CLIENT_EXPORT,
      };
      const child = fork(command.file, [], {
        execArgv: [...command.execArgv],
        env: { ...process.env, ...options.env, [SAFETY_CONFIG_ENV]: JSON.stringify(config) },
        serialization: 'advanced', // bigint tokens cross the channel as they are
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      children.add(child);
      const inside = new Set<string>();
      let stats: SafetyWorkerStats | undefined;
      let ready = false;
      const reply = (id: number, result: LedgerReply['result']) => {
        if (child.connected) child.send({ id, result } satisfies LedgerReply, () => undefined);
      };
      const handle = async (message: SafetyRequest | SafetyDone): Promise<void> => {
        if (message.op === 'done') {
          stats = message.stats;
          return;
        }
        switch (message.op) {
          case 'ready':
            ready = true;
            waitingToStart.push(() => reply(message.id, null));
            return startIfAllReady();
          case 'step':
            await resolved.fault?.({ worker, iteration: message.iteration, token: message.token, child });
            return reply(message.id, null);
          default:
            return reply(message.id, await applyToLedger(ledger, inside, message));
        }
      };
      child.on('message', (message: SafetyRequest | SafetyDone) => {
        handle(message).catch((error: unknown) => {
          child.kill('SIGKILL');
          reject(error);
        });
      });
      child.once('error', reject);
      child.once('exit', (code, signal) => {
        children.delete(child);
        if (!ready) {
          starting -= 1;
          startIfAllReady();
        }
        // A dead worker is no longer inside: its process cannot write any more.
        for (const holder of inside) ledger.exit(holder);
        if (stats !== undefined) resolve(stats);
        else if (signal !== null) {
          workersKilled += 1;
          resolve(undefined);
        } else reject(new Error(`safety worker ${worker} exited with code ${code} before it was done`));
      });
    });

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`checkSafetyAcrossProcesses did not finish within ${timeoutMs} ms`)),
      timeoutMs,
    );
    timer.unref();
  });
  try {
    const results = await Promise.race([
      Promise.all(Array.from({ length: resolved.workers }, (_, w) => runWorker(w))),
      timeout,
    ]);
    const stats = results.filter((s): s is SafetyWorkerStats => s !== undefined);
    return { ...safetyReport(ledger.counts(), stats), workersKilled };
  } finally {
    clearTimeout(timer);
    for (const child of children) child.kill('SIGKILL');
  }
}
