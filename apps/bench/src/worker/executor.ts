import { setMaxListeners } from 'node:events';
import type { Locker } from '../adapters/adapter.ts';
import { adapterNamed } from '../adapters/registry.ts';
import type { TaskSpec, Window, WorkerResult } from './protocol.ts';
import { bodyOf, type TaskContext } from './tasks.ts';

/** Sends a sync message of one logical worker to the coordinator and resolves with its reply. */
export type SyncFn = (worker: number, name: string, data: unknown) => Promise<unknown>;

/**
 * Runs one task for each logical worker of this process: opens one locker (connection) per
 * worker, runs the task body, closes the lockers. A wait still pending `drainMs` after the window
 * is aborted so a slow poller cannot hold up the run.
 */
export async function executeTask(task: TaskSpec, sync: SyncFn): Promise<WorkerResult[]> {
  const adapter = adapterNamed(task.adapter);
  const epoch = BigInt(task.epoch);
  const stop = new AbortController();
  // Every wait of the task listens on this one signal (10,000 of them when holding 10,000 leases).
  setMaxListeners(0, stop.signal);
  let drainTimer: ReturnType<typeof setTimeout> | undefined;
  const lockers: Locker[] = [];
  try {
    for (const _ of task.workers) lockers.push(await adapter.open(task.env));
    const body = bodyOf(task.kind);
    return await Promise.all(
      task.workers.map(async (worker, i) => {
        const ctx: TaskContext = {
          worker,
          locker: lockers[i]!,
          epoch,
          signal: stop.signal,
          countsClients: i === 0 && adapter.scope !== 'process',
          sync: (name, data) => sync(worker, name, data) as Promise<never>,
          setWindow(window: Window) {
            if (drainTimer !== undefined) return;
            const untilNs = window.stopAt + task.drainMs * 1e6 - Number(process.hrtime.bigint() - epoch);
            drainTimer = setTimeout(() => stop.abort(new Error('run over')), Math.max(0, untilNs / 1e6));
            drainTimer.unref();
          },
        };
        const result = await (body as (c: TaskContext, p: unknown) => Promise<Omit<WorkerResult, 'worker'>>)(
          ctx,
          task.params,
        );
        return { worker, ...result };
      }),
    );
  } finally {
    clearTimeout(drainTimer);
    await Promise.all(lockers.map((l) => withTimeout(l.close(), 5_000).catch(() => {})));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
