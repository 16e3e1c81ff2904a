import { type ChildProcess, fork } from 'node:child_process';
import type { LockClient } from '@locksmith/core';
import { childCommand } from '../child-scripts.ts';
import { type ClientModule, DEFAULT_CLIENT_EXPORT, loadClient } from '../client-module.ts';
import { applyToLedger, type LedgerReply } from '../ledger-ipc.ts';
import { type SafetyFence, SafetyLedger } from '../safety-ledger.ts';
import {
  FAULT_WORKER_ENV,
  type FaultCommand,
  type FaultNotice,
  type FaultRequest,
  type FaultWorkerConfig,
  type FaultWorkerEvent,
} from './fault-ipc.ts';
import type { TimelineEvent } from './fault-timeline.ts';

/** What every worker of a run does. */
export interface FaultRunPlan {
  readonly client: ClientModule;
  readonly key: string;
  readonly ttlMs: number;
  readonly waitMs: number;
  readonly criticalMs: number;
  readonly observeMs: number;
  readonly fence: SafetyFence;
  /** Extra environment per lane (a worker's own proxy addresses). */
  readonly laneEnv?: (lane: number) => Promise<Readonly<Record<string, string>>>;
  readonly execArgv?: readonly string[];
}

/** A holder stopped at its step (between its read and its write) until `release()`. */
export interface HeldStep {
  readonly lane: number;
  readonly iteration: number;
  readonly at: number;
  release(): void;
}

interface Lane {
  readonly child: ChildProcess;
  readonly inside: Set<string>;
  readonly exited: Promise<void>;
  /** Tail of the worker's output, for the message when it crashes. */
  output: string;
  killed: boolean;
  /** When the run killed it (SIGKILL sent), or SIGSTOPped it and has not continued it yet. */
  killedAt?: number;
  stoppedAt?: number;
  /** Since when it waits in `acquire` (ms), if it does. */
  acquiringSince?: number;
}

type Listener = (event: TimelineEvent) => void;

/**
 * The parent side of one fault run: worker processes, the fenced counter they increment, the
 * timeline of their events on the shared monotonic clock, and the handles a fault script needs
 * (hold a holder at its step, pause or kill a worker, wait for an event).
 */
export class FaultRun {
  readonly origin = process.hrtime.bigint();
  readonly events: TimelineEvent[] = [];
  readonly ledger: SafetyLedger;
  /** The client's `capabilities.fencing`, as the first worker reported it. */
  fencing = 'unknown';
  readonly #plan: FaultRunPlan;
  readonly #lanes = new Map<number, Lane>();
  readonly #listeners = new Set<Listener>();
  readonly #traps: { filter: (lane: number) => boolean; take: (step: HeldStep) => void }[] = [];
  readonly #held = new Set<() => void>();
  readonly #failures: string[] = [];
  #nextLane = 0;
  #stopping = false;

  constructor(plan: FaultRunPlan) {
    this.#plan = plan;
    this.ledger = new SafetyLedger(plan.key, plan.fence);
  }

  /** Milliseconds since the run's origin, on the clock every event is stamped with. */
  now(): number {
    return this.#ms(process.hrtime.bigint());
  }

  /** Workers that crashed or would not stop: each is a failure of the run. */
  get failures(): readonly string[] {
    return this.#failures;
  }

  /** Starts `workers` workers; resolves once every one has its client, then lets them all go. */
  async start(workers: number): Promise<void> {
    const ready = await Promise.all(Array.from({ length: workers }, () => this.#spawn()));
    for (const go of ready) go();
  }

  /**
   * Starts one more worker (a replacement for a killed one); it joins as soon as it is ready.
   * Never rejects: a worker that fails to start is one of the run's {@link failures}.
   */
  async addWorker(): Promise<void> {
    try {
      (await this.#spawn())();
    } catch {
      // recorded by the exit handler (or the run is being destroyed)
    }
  }

  /** The next holder to reach its step (of a lane `filter` accepts) is held there until released. */
  nextStep(timeoutMs: number, filter: (lane: number) => boolean = () => true): Promise<HeldStep> {
    return new Promise((resolve, reject) => {
      const take = (step: HeldStep) => {
        clearTimeout(timer);
        resolve(step);
      };
      const trap = { filter, take };
      const timer = setTimeout(() => {
        this.#traps.splice(this.#traps.indexOf(trap), 1);
        reject(new Error(`no holder reached its critical section within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#traps.push(trap);
    });
  }

  /** Resolves the first event (at or after `since`) that `match` accepts, or `undefined` after `timeoutMs`. */
  waitFor(
    match: (event: TimelineEvent) => boolean,
    timeoutMs: number,
    since = this.now(),
  ): Promise<TimelineEvent | undefined> {
    const seen = this.events.find((e) => e.t >= since && match(e));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const listener: Listener = (e) => {
        if (e.t < since || !match(e)) return;
        clearTimeout(timer);
        this.#listeners.delete(listener);
        resolve(e);
      };
      const timer = setTimeout(() => {
        this.#listeners.delete(listener);
        resolve(undefined);
      }, timeoutMs);
      this.#listeners.add(listener);
    });
  }

  /** Lanes waiting in `acquire` for at least `minMs`, longest first. */
  queued(minMs: number): number[] {
    const now = this.now();
    return [...this.#lanes.entries()]
      .filter(([, l]) => l.acquiringSince !== undefined && now - l.acquiringSince >= minMs && !l.killed)
      .sort(([, a], [, b]) => (a.acquiringSince ?? 0) - (b.acquiringSince ?? 0))
      .map(([lane]) => lane);
  }

  /** Sends `signal` to a worker; SIGSTOP … SIGCONT is recorded as a `worker-paused` window. */
  signal(lane: number, signal: NodeJS.Signals): void {
    const l = this.#lanes.get(lane);
    if (l === undefined) return;
    if (signal === 'SIGSTOP') l.stoppedAt ??= this.now();
    l.child.kill(signal);
    if (signal === 'SIGCONT' && l.stoppedAt !== undefined) {
      this.#record({ type: 'worker-paused', lane, t: l.stoppedAt, until: this.now() });
      delete l.stoppedAt;
    }
  }

  /** Kills a worker with SIGKILL (a crash) and resolves once it is gone. */
  async kill(lane: number): Promise<void> {
    const l = this.#lanes.get(lane);
    if (l === undefined) return;
    l.killed = true;
    l.killedAt = this.now();
    // Out of its critical section from the SIGKILL on: its exit is seen a little later, and the
    // lock may be free (the server saw the socket close) before that.
    for (const holder of l.inside) this.ledger.exit(holder);
    l.inside.clear();
    l.child.kill('SIGKILL');
    await l.exited;
  }

  /** Asks every worker to finish its increment and stop; kills those that do not within `timeoutMs`. */
  async stop(timeoutMs: number): Promise<void> {
    this.#stopping = true;
    for (const release of [...this.#held]) release();
    const lanes = [...this.#lanes.entries()];
    for (const [, l] of lanes) {
      l.child.kill('SIGCONT');
      if (l.child.connected) l.child.send({ op: 'stop' } satisfies FaultCommand, () => undefined);
    }
    await Promise.all(
      lanes.map(async ([lane, l]) => {
        const timer = setTimeout(() => {
          this.#failures.push(`worker ${lane} did not stop within ${timeoutMs} ms: ${l.output.trim()}`);
          l.killed = true;
          l.child.kill('SIGKILL');
        }, timeoutMs);
        await l.exited;
        clearTimeout(timer);
      }),
    );
  }

  /**
   * A fresh client, in this process, acquires the key once within `waitMs`: the lock is not held
   * forever. It gets the run's client environment, without any worker's own proxies.
   */
  async probe(waitMs: number): Promise<{ ms?: number; error?: string }> {
    const { client, key, ttlMs } = this.#plan;
    const start = performance.now();
    let locks: LockClient | undefined;
    try {
      locks = await loadClient(client.module, client.exportName ?? DEFAULT_CLIENT_EXPORT, {
        ...process.env,
        ...client.env,
      });
      const lease = await locks.acquire(key, { ttlMs, waitMs });
      const ms = performance.now() - start;
      // Acquired: the lock was not held forever. A release that fails (a Redlock round timing
      // out on a loaded machine) leaves the key to its TTL, which is no failure of the run.
      await lease.release().catch(() => undefined);
      return { ms };
    } catch (error) {
      return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    } finally {
      await locks?.close().catch(() => undefined);
    }
  }

  /** Kills every worker still running (the run failed or timed out). */
  async destroy(): Promise<void> {
    this.#stopping = true;
    await Promise.all(
      [...this.#lanes.values()].map(async (l) => {
        l.killed = true;
        l.child.kill('SIGKILL');
        await l.exited;
      }),
    );
  }

  #ms(t: bigint): number {
    return Number(t - this.origin) / 1e6;
  }

  #record(event: TimelineEvent): void {
    this.events.push(event);
    for (const listener of [...this.#listeners]) listener(event);
  }

  #recordWorker(lane: number, event: FaultWorkerEvent): void {
    const l = this.#lanes.get(lane);
    if (l !== undefined) {
      if (event.type === 'acquiring') l.acquiringSince = this.#ms(event.t);
      else if (event.type === 'acquired' || event.type === 'acquire-failed') delete l.acquiringSince;
    }
    const { t, ...rest } = event;
    const base = { ...rest, lane, t: this.#ms(t) } as Record<string, unknown>;
    if ('token' in event) base.token = String(event.token);
    if ('lastHeldAt' in event)
      base.lastHeldAt = event.lastHeldAt === 0n ? undefined : this.#ms(event.lastHeldAt);
    this.#record(base as TimelineEvent);
  }

  /** Forks one worker; resolves a function that lets it start once it has built its client. */
  async #spawn(): Promise<() => void> {
    const lane = this.#nextLane++;
    const plan = this.#plan;
    const config: FaultWorkerConfig = {
      module: plan.client.module,
      exportName: plan.client.exportName ?? DEFAULT_CLIENT_EXPORT,
      lane,
      key: plan.key,
      ttlMs: plan.ttlMs,
      waitMs: plan.waitMs,
      criticalMs: plan.criticalMs,
      observeMs: plan.observeMs,
    };
    const laneEnv = plan.laneEnv === undefined ? {} : await plan.laneEnv(lane);
    const command = childCommand('fault-worker', [plan.client.module], plan.execArgv);
    const child = fork(command.file, [], {
      execArgv: [...command.execArgv],
      env: { ...process.env, ...plan.client.env, ...laneEnv, [FAULT_WORKER_ENV]: JSON.stringify(config) },
      serialization: 'advanced', // bigint tokens and stamps cross the channel as they are
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.once('error', (error) => this.#failures.push(`worker ${lane}: ${error.message}`));
    const l: Lane = { child, inside: new Set(), exited, output: '', killed: false };
    this.#lanes.set(lane, l);
    const keep = (chunk: Buffer) => {
      l.output = (l.output + chunk.toString()).slice(-2_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.#record({ type: 'worker-start', lane, t: this.now(), pid: child.pid ?? 0 });

    return new Promise((resolve, reject) => {
      const reply = (id: number, result: LedgerReply['result']) => {
        if (child.connected) child.send({ id, result } satisfies FaultCommand, () => undefined);
      };
      const handle = async (message: FaultRequest | FaultNotice): Promise<void> => {
        switch (message.op) {
          case 'event':
            return this.#recordWorker(lane, message.event);
          case 'done':
            return;
          case 'ready':
            if (this.fencing === 'unknown') this.fencing = message.fencing;
            // A worker that gets ready after stop() (a late replacement) goes at once, and stops.
            if (this.#stopping) reply(message.id, null);
            return resolve(() => reply(message.id, null));
          case 'step':
            return this.#step(lane, message.iteration, () => reply(message.id, null));
          default:
            return reply(message.id, await applyToLedger(this.ledger, l.inside, message));
        }
      };
      child.on('message', (message: FaultRequest | FaultNotice) => {
        handle(message).catch((error: unknown) => this.#failures.push(`worker ${lane}: ${String(error)}`));
      });
      child.once('exit', (code, signal) => {
        for (const holder of l.inside) this.ledger.exit(holder); // a dead worker writes no more
        // A killed worker is dead from the SIGKILL on (its exit is seen a little later).
        this.#record({
          type: 'worker-exit',
          lane,
          t: l.killedAt ?? this.now(),
          code,
          signal,
          killed: l.killed,
        });
        const expected = l.killed || (this.#stopping && code === 0);
        if (!expected)
          this.#failures.push(
            `worker ${lane} exited (code ${code}, signal ${signal}) unexpectedly: ${l.output.trim()}`,
          );
        reject(new Error(`worker ${lane} exited before it was ready: ${l.output.trim()}`));
      });
    });
  }

  #step(lane: number, iteration: number, go: () => void): void {
    const trap = this.#stopping ? undefined : this.#traps.find((t) => t.filter(lane));
    if (trap === undefined) {
      go();
      return;
    }
    this.#traps.splice(this.#traps.indexOf(trap), 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.#held.delete(release);
      go();
    };
    this.#held.add(release);
    trap.take({ lane, iteration, at: this.now(), release });
  }
}
