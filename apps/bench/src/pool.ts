import { type ChildProcess, fork } from 'node:child_process';
import type { FromWorker, TaskSpec, ToWorker, WorkerResult } from './worker/protocol.ts';
import { prepareWorkerEntry, type WorkerEntry } from './worker-entry.ts';

/** A sync call from a logical worker, answered by the coordinator's handler. */
export interface SyncCall {
  readonly slot: number;
  readonly worker: number;
  readonly name: string;
  readonly data: unknown;
}

export type Outcome =
  | { readonly ok: true; readonly results: readonly WorkerResult[] }
  | { readonly ok: false; readonly error: string };

/** Runs tasks for the scenarios: in worker processes ({@link WorkerPool}) or, to profile, in this one. */
export interface TaskRunner {
  ensure(n: number): Promise<void>;
  run(
    assignments: readonly { readonly slot: number; readonly task: TaskSpec }[],
    onSync: (call: SyncCall) => unknown,
    timeoutMs: number,
  ): Promise<Outcome[]>;
  kill(slot: number): void;
  /** Sends SIGSTOP (`true`) or SIGCONT (`false`) to the worker in `slot` (the failover scenario's pause). */
  pause(slot: number, paused: boolean): void;
  /** Gives `slot` a fresh process (memory figures must not inherit an earlier task's heap). */
  recycle(slot: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Worker processes, forked once and reused by every scenario of a run (each runs one task at a
 * time and opens its own connections per task). A killed worker is replaced on next use.
 */
export class WorkerPool implements TaskRunner {
  readonly #slots: (ChildProcess | undefined)[] = [];
  #nextTask = 1;
  #entry: Promise<WorkerEntry> | undefined;
  readonly #starting = new Map<number, Promise<void>>();

  /** Number of live worker processes. */
  get size(): number {
    return this.#slots.filter((p) => p !== undefined).length;
  }

  /** Forks workers until slots `0..n-1` are all alive and have said they are online. */
  async ensure(n: number): Promise<void> {
    const starting: Promise<void>[] = [];
    for (let slot = 0; slot < n; slot++) {
      if (this.#slots[slot] !== undefined) continue;
      let pending = this.#starting.get(slot);
      if (pending === undefined) {
        pending = this.#start(slot).finally(() => this.#starting.delete(slot));
        this.#starting.set(slot, pending);
      }
      starting.push(pending);
    }
    await Promise.all(starting);
  }

  async #start(slot: number): Promise<void> {
    this.#entry ??= prepareWorkerEntry();
    const entry = await this.#entry;
    const child = fork(entry.file, [], {
      execArgv: [...entry.execArgv],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#slots[slot] = child;
    child.on('exit', () => {
      if (this.#slots[slot] === child) this.#slots[slot] = undefined;
    });
    return new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (m.type !== 'online') return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve();
      };
      const onExit = (code: number | null) =>
        reject(new Error(`worker process exited (code ${code}) before it came online`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  }

  /** The process id in `slot`, if alive. */
  pid(slot: number): number | undefined {
    return this.#slots[slot]?.pid;
  }

  /** SIGKILLs the worker in `slot` (the recovery scenario's fault). */
  kill(slot: number): void {
    this.#slots[slot]?.kill('SIGKILL');
    this.#slots[slot] = undefined; // replaced on next use, without waiting for its exit event
  }

  pause(slot: number, paused: boolean): void {
    this.#slots[slot]?.kill(paused ? 'SIGSTOP' : 'SIGCONT');
  }

  async recycle(slot: number): Promise<void> {
    const child = this.#slots[slot];
    if (child !== undefined) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      this.kill(slot);
      await exited;
    }
    await this.ensure(slot + 1);
  }

  /**
   * Runs one task per slot and answers their sync calls with `onSync`. Resolves with one outcome
   * per assignment once all are done, failed or dead; after `timeoutMs` the stragglers are killed.
   */
  async run(
    assignments: readonly { readonly slot: number; readonly task: TaskSpec }[],
    onSync: (call: SyncCall) => unknown,
    timeoutMs: number,
  ): Promise<Outcome[]> {
    await this.ensure(Math.max(0, ...assignments.map((a) => a.slot + 1)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      for (const a of assignments) this.kill(a.slot);
    }, timeoutMs);
    timer.unref();
    try {
      return await Promise.all(assignments.map((a) => this.#runOne(a.slot, a.task, onSync, () => timedOut)));
    } finally {
      clearTimeout(timer);
    }
  }

  #runOne(
    slot: number,
    task: TaskSpec,
    onSync: (call: SyncCall) => unknown,
    timedOut: () => boolean,
  ): Promise<Outcome> {
    const child = this.#slots[slot];
    if (child === undefined) return Promise.resolve({ ok: false, error: 'worker process not running' });
    const id = this.#nextTask++;
    return new Promise<Outcome>((resolve) => {
      const finish = (outcome: Outcome) => {
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(outcome);
      };
      const onMessage = (m: FromWorker) => {
        if (m.type === 'online' || m.id !== id) return;
        if (m.type === 'done') finish({ ok: true, results: m.results });
        else if (m.type === 'failed') finish({ ok: false, error: m.message });
        else {
          Promise.resolve(onSync({ slot, worker: m.worker, name: m.name, data: m.data })).then(
            (data) => {
              if (child.connected)
                child.send({ type: 'reply', id, worker: m.worker, name: m.name, data } satisfies ToWorker);
            },
            (error: unknown) => finish({ ok: false, error: String(error) }),
          );
        }
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
        finish({
          ok: false,
          error: timedOut() ? 'timed out' : `worker process ended (${signal ?? `code ${code}`})`,
        });
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send({ type: 'task', id, task } satisfies ToWorker);
    });
  }

  /** Ends every worker process (they also exit on their own when this process goes away). */
  async close(): Promise<void> {
    const entry = this.#entry;
    this.#entry = undefined;
    await Promise.all(
      this.#slots.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child === undefined || child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.disconnect();
            setTimeout(() => child.kill('SIGKILL'), 2_000).unref();
          }),
      ),
    );
    await (await entry)?.dispose();
  }
}

/**
 * A barrier for sync calls named `name`: resolves every caller with `release()`'s value once
 * `count` callers have arrived.
 */
export function barrier<T>(count: number, release: () => T): () => Promise<T> {
  let arrived = 0;
  let open: (value: T) => void = () => {};
  const gate = new Promise<T>((resolve) => {
    open = resolve;
  });
  return () => {
    arrived += 1;
    if (arrived === count) open(release());
    return gate;
  };
}
