import type { LedgerReply, LedgerRequest } from '../ledger-ipc.ts';

/** Environment variable carrying a fault worker's {@link FaultWorkerConfig} as JSON. */
export const FAULT_WORKER_ENV = 'LOCKSMITH_FAULT_WORKER';

/** What a fault worker is told to do. */
export interface FaultWorkerConfig {
  readonly module: string;
  readonly exportName: string;
  /** The worker's lane in the timeline. */
  readonly lane: number;
  readonly key: string;
  readonly ttlMs: number;
  /** Each acquire's `waitMs`; a timeout is counted and the worker tries again. */
  readonly waitMs: number;
  /** Time between a holder's read and its step. */
  readonly criticalMs: number;
  /** How often a holder reads `lease.signal.aborted` while it holds. */
  readonly observeMs: number;
}

/**
 * What a worker reports as it goes, each stamped `t` with `process.hrtime.bigint()`: on Linux
 * that is CLOCK_MONOTONIC, one clock for every process of the host, so the parent can order
 * events of different workers.
 */
export type FaultWorkerEvent =
  | { readonly type: 'acquiring'; readonly iteration: number; readonly t: bigint }
  | { readonly type: 'acquired'; readonly iteration: number; readonly t: bigint; readonly token: bigint }
  | {
      readonly type: 'acquire-failed';
      readonly iteration: number;
      readonly t: bigint;
      readonly code: string;
      readonly message: string;
    }
  /**
   * `lease.signal` aborted (before the worker released). `sinceLookMs`: time since the worker's
   * previous read of the signal (it reads every `observeMs` while it runs).
   */
  | {
      readonly type: 'lost';
      readonly iteration: number;
      readonly t: bigint;
      readonly reason: string;
      readonly sinceLookMs: number;
    }
  /**
   * The worker is about to release. `lastHeldAt`: when it last read the signal as not aborted
   * (taken before the read, so never later than the read itself).
   */
  | {
      readonly type: 'releasing';
      readonly iteration: number;
      readonly t: bigint;
      readonly lastHeldAt: bigint;
    }
  | { readonly type: 'released'; readonly iteration: number; readonly t: bigint; readonly error?: string }
  | {
      readonly type: 'unhandled-rejection' | 'uncaught-exception';
      readonly t: bigint;
      readonly message: string;
    }
  | { readonly type: 'client-error'; readonly t: bigint; readonly code: string; readonly message: string };

/** Child → parent requests; the parent answers each with a {@link LedgerReply}. */
export type FaultRequest =
  | { readonly id: number; readonly op: 'ready'; readonly fencing: string }
  | LedgerRequest;

/** Child → parent messages that need no answer. */
export type FaultNotice =
  | { readonly op: 'event'; readonly event: FaultWorkerEvent }
  | { readonly op: 'done' };

/** Parent → child. */
export type FaultCommand = LedgerReply | { readonly op: 'stop' };
