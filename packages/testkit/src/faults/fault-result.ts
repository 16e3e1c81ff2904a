import type { LedgerCounts } from '../safety-ledger.ts';
import type { FaultName } from './fault-target.ts';
import type { InjectionRecord, LeaseRecord, TimelineEvent } from './fault-timeline.ts';

/** What one run of one fault counted. The safety counts must be 0 (see `unsafeCounts`). */
export interface FaultCounts extends LedgerCounts {
  /** Successful acquires. */
  readonly acquisitions: number;
  /** Acquires that failed (timeouts while the backend was away, unavailable errors), by error code. */
  readonly acquireErrors: Readonly<Record<string, number>>;
  /** Leases whose `lease.signal` aborted before their release, by `LockLostError` reason. */
  readonly leasesLost: Readonly<Record<string, number>>;
  /** Leases another worker acquired while their live holder still held them (killed holders aside). */
  readonly superseded: number;
  /** …whose signal aborted before the other worker's acquire resolved. */
  readonly signalledBeforeSuccessor: number;
  /** …whose signal aborted later, while the holder could not run (stopped, not scheduled): its first read said lost. */
  readonly lostAtFirstLook: number;
  /**
   * …whose holder read its lease as held after another worker had acquired the lock, or was
   * running when that worker got it and was told only afterwards. Must be 0.
   */
  readonly silentLosses: number;
  /** Holders killed while holding (a crash): they cannot act on the lock any more. */
  readonly holdersKilled: number;
  /** Workers the fault killed. */
  readonly workersKilled: number;
  /** Unhandled promise rejections in the workers. Must be 0. */
  readonly unhandledRejections: number;
  /** Uncaught exceptions in the workers. Must be 0. */
  readonly uncaughtExceptions: number;
  /** Releases that rejected. */
  readonly releaseErrors: number;
  /** Longest time from the end of a fault to the next acquisition; `null`: none came within the bound. */
  readonly recoveryMs: number | null;
  /** How long a fresh client took to acquire the key after the run; `null`: it did not (held forever). */
  readonly freshAcquireMs: number | null;
}

/** One fault, run against one target. */
export interface FaultRunResult {
  /** The fault injected. */
  readonly fault: FaultName;
  /** It ran (see {@link FaultNotRun} for the others). */
  readonly status: 'ran';
  /** The client's `capabilities.fencing`: with `best-effort`, stale writes accepted are expected. */
  readonly fencing: string;
  /** Each lease's TTL in the run. */
  readonly ttlMs: number;
  /** Worker processes in the run. */
  readonly workers: number;
  /** Wall time of the run. */
  readonly durationMs: number;
  /** What the run counted. */
  readonly counts: FaultCounts;
  /** Each injection of the fault, with its window and the recovery after it. */
  readonly injections: readonly InjectionRecord[];
  /** The target's documented gap for this fault: its silent losses are reported, not failed. */
  readonly knownGap?: string;
  /** Workers that crashed or hung, the fresh client's error: each one is a failure. */
  readonly failures: readonly string[];
  /** Every lease of the run, and every event, for a timeline chart. */
  readonly leases: readonly LeaseRecord[];
  /** Every event of the run, in order, for the same chart. */
  readonly events: readonly TimelineEvent[];
}

/** A fault that did not run: `n/a` (cannot apply), `not-run` (not enabled here), `error` (the run itself broke). */
export interface FaultNotRun {
  /** The fault that did not run. */
  readonly fault: FaultName;
  /** Why not, in one word. */
  readonly status: 'n/a' | 'not-run' | 'error';
  /** Why not, in a sentence for the report. */
  readonly reason: string;
}

/** One fault's outcome: a run's result, or why it did not run. */
export type FaultOutcome = FaultRunResult | FaultNotRun;

/** Every fault of one target. */
export interface FaultSuiteResult {
  /** The target's name (a backend, or a backend and mode). */
  readonly target: string;
  /** One outcome per fault asked for, in order. */
  readonly outcomes: readonly FaultOutcome[];
}

/**
 * The counts of a run that break the contract, by name (empty when the run is safe): stale writes
 * accepted, increments lost, silent losses (unless the fault is a documented gap of the target:
 * then they are reported with the gap, not failed), unhandled rejections and uncaught exceptions,
 * a lock nobody could acquire after the run, a fault after which nobody acquired again, and
 * crashed or hung workers.
 */
export function unsafeCounts(result: FaultRunResult): Record<string, number | string> {
  const c = result.counts;
  const bad: Record<string, number | string> = {};
  if (c.staleWritesAccepted > 0) bad.staleWritesAccepted = c.staleWritesAccepted;
  if (c.incrementsLost > 0) bad.incrementsLost = c.incrementsLost;
  if (c.silentLosses > 0 && result.knownGap === undefined) bad.silentLosses = c.silentLosses;
  if (c.unhandledRejections > 0) bad.unhandledRejections = c.unhandledRejections;
  if (c.uncaughtExceptions > 0) bad.uncaughtExceptions = c.uncaughtExceptions;
  if (c.freshAcquireMs === null) bad.heldForever = 'a fresh client could not acquire the key after the run';
  if (c.recoveryMs === null) bad.neverRecovered = 'no worker acquired the lock after a fault ended';
  if (result.failures.length > 0) bad.failures = result.failures.join('; ');
  return bad;
}
