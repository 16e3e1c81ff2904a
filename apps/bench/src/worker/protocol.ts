import type { BenchEnv } from '../adapters/adapter.ts';

/** Parameters of each kind of worker task (what one logical worker does). */
export interface TaskParams {
  /** Acquire+release in a loop; each worker on its own key, or on a random one of `keys`. */
  latency: { ttlMs: number; keys: number };
  /** All workers on one key: hold `csMs`, release, think `thinkMs`, again. */
  contend: { ttlMs: number; csMs: number; thinkMs: number };
  /**
   * Open loop: requests arrive at random (Poisson) at `ratePerSec` whatever the lock does, as wrk2
   * sends; each acquires (waiting), holds `csMs`, releases. At most `inFlight` wait at once; later
   * arrivals queue in the worker, their wait still counted from their arrival.
   */
  arrive: { ttlMs: number; csMs: number; ratePerSec: number; inFlight: number };
  /** Take `count` leases, keep them alive `windowMs` while CPU and memory are measured. */
  'hold-many': { ttlMs: number; count: number; windowMs: number };
  /** Take the key and keep it until the process is killed. */
  'hold-one': { ttlMs: number };
  /** Wait for the key (held by a `hold-one` worker about to be killed). */
  'wait-one': { ttlMs: number; timeoutMs: number };
  /**
   * Win election `name` and lead until killed; or, when `watch` is 1, until leadership reads lost
   * (checked every millisecond, so the first check after a SIGCONT is at once): reports `lostAt`.
   */
  'lead-one': { ttlMs: number; name: string; watch: number };
  /** Campaign in election `name` (led by a `lead-one` worker about to fail); reports `acquiredAt`. */
  'campaign-one': { ttlMs: number; name: string; timeoutMs: number };
}

export type TaskKind = keyof TaskParams;

export interface TaskSpec<K extends TaskKind = TaskKind> {
  readonly adapter: string;
  readonly env: BenchEnv;
  readonly kind: K;
  readonly params: TaskParams[K];
  /** Logical worker ids this process runs (several only for `process`-scope mechanisms). */
  readonly workers: readonly number[];
  /** The run's epoch on the shared monotonic clock, as a decimal bigint. */
  readonly epoch: string;
  /** Stop waiting this long after the measured window ends (slow pollers drain first). */
  readonly drainMs: number;
}

/** What the coordinator hands every worker at the start barrier (ns since the epoch). */
export interface Window {
  /** Every worker starts its loop here, together. */
  readonly startAt: number;
  /** Operations started from here on are measured (the time before is warm-up). */
  readonly measureFrom: number;
  readonly stopAt: number;
}

export type ToWorker =
  | { readonly type: 'task'; readonly id: number; readonly task: TaskSpec }
  | {
      readonly type: 'reply';
      readonly id: number;
      readonly worker: number;
      readonly name: string;
      readonly data: unknown;
    };

export type FromWorker =
  | { readonly type: 'online' }
  | {
      readonly type: 'sync';
      readonly id: number;
      readonly worker: number;
      readonly name: string;
      readonly data: unknown;
    }
  | { readonly type: 'done'; readonly id: number; readonly results: readonly WorkerResult[] }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };

/** One logical worker's result; the fields present depend on the task kind. */
export interface WorkerResult {
  readonly worker: number;
  readonly errors: number;
  readonly firstError: string | null;
  /** latency: acquire+release durations and acquire-only durations (encoded HDR histograms). */
  readonly total?: string;
  readonly acquire?: string;
  readonly count?: number;
  /**
   * contend: `[intendedAt, requestedAt, acquiredAt, releasedAt]` per request, ns since the epoch,
   * every request of the run (NaN where it was never granted). arrive: `[arrivedAt, acquiredAt]`.
   */
  readonly events?: Float64Array;
  /**
   * Commands and socket writes of this process's clients during the measured window; only on the
   * first logical worker of a process (the counters are per process), and never for in-process locks.
   */
  readonly sent?: { readonly commands: number; readonly writes: number };
  /** hold-many. */
  readonly held?: number;
  readonly acquireAllNs?: number;
  readonly cpuMicros?: number;
  readonly windowNs?: number;
  readonly rssBytes?: number;
  readonly heapBytes?: number;
  readonly lost?: number;
  /** TCP socket writes during the window (≈ round trips started). */
  readonly writes?: number;
  /** ioredis commands sent during the window. */
  readonly commandsSent?: number;
  /** wait-one, campaign-one. */
  readonly acquiredAt?: number;
  /**
   * lead-one: when this leader first read its leadership lost (ns since the epoch); its
   * `acquiredAt` is then when it saw itself resume from the pause.
   */
  readonly lostAt?: number;
}
