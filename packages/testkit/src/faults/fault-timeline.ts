import type { FaultWorkerEvent } from './fault-ipc.ts';

type Stamped<E> = E extends { readonly t: bigint } ? Omit<E, 't' | 'token' | 'lastHeldAt'> : never;

/**
 * One event of a run, as the parent recorded it: a worker's event (its hrtime stamp turned into
 * milliseconds since the run's origin, tokens as decimal strings) with the worker's lane, or the
 * parent's own record of a worker starting or exiting.
 */
export type TimelineEvent =
  | (Stamped<FaultWorkerEvent> & {
      /** The worker's lane (its index in the run). */
      readonly lane: number;
      /** When, in ms since the run's origin. */
      readonly t: number;
      /** The lease's token, as a decimal string. */
      readonly token?: string;
      /** The last time the worker read its lease as held, in ms since the run's origin. */
      readonly lastHeldAt?: number;
    })
  | {
      /** The parent started the worker. */
      readonly type: 'worker-start';
      /** The worker's lane. */
      readonly lane: number;
      /** When, in ms since the run's origin. */
      readonly t: number;
      /** The worker's process id. */
      readonly pid: number;
    }
  /** The run stopped the worker (SIGSTOP) from `t` until `until` (SIGCONT). */
  | {
      /** The run paused the worker. */
      readonly type: 'worker-paused';
      /** The worker's lane. */
      readonly lane: number;
      /** When it was stopped, in ms since the run's origin. */
      readonly t: number;
      /** When it was continued, in ms since the run's origin. */
      readonly until: number;
    }
  | {
      /** The worker's process ended. */
      readonly type: 'worker-exit';
      /** The worker's lane. */
      readonly lane: number;
      /** When, in ms since the run's origin. */
      readonly t: number;
      /** Its exit code, or `null` when a signal ended it. */
      readonly code: number | null;
      /** The signal that ended it, or `null`. */
      readonly signal: string | null;
      /** The run killed it (a fault), as opposed to a crash or a normal stop. */
      readonly killed: boolean;
    };

/** One fault injected during a run, on the run's clock (ms since its origin). */
export interface InjectionRecord {
  /** What was injected, for the report ("worker 2 paused (SIGSTOP) while holding"). */
  readonly label: string;
  /** When the fault began. */
  readonly startMs: number;
  /** When it ended (healed, continued, restarted). */
  readonly endMs: number;
  /** The worker the fault was aimed at, if one. */
  readonly lane?: number;
  /** From the end of the fault to the next acquisition by any worker; `null`: none within the bound. */
  readonly recoveryMs: number | null;
  /** What happened that the counts do not say ("no other client got the lock while paused"). */
  readonly note?: string;
}

/** A lease as the timeline shows it: from the worker's acquire to its release (or its death). */
export interface LeaseRecord {
  /** The holder's lane. */
  readonly lane: number;
  /** The holder's iteration (its n-th acquisition). */
  readonly iteration: number;
  /** The lease's token, as a decimal string. */
  readonly token: string;
  /** When the acquire resolved, in ms since the run's origin. */
  readonly acquiredAt: number;
  /** When the worker called `release()`; absent if it died holding. */
  readonly releasingAt?: number;
  /** When its worker was killed while holding. */
  readonly killedAt?: number;
  /** When `lease.signal` aborted before the release, and the `LockLostError` reason. */
  readonly lostAt?: number;
  /** The `LockLostError` reason its signal carried. */
  readonly lostReason?: string;
  /** How long before `lostAt` the worker had last read the signal (it reads every 5 ms while it runs). */
  readonly lostSinceLookMs?: number;
  /** The last time the worker read the lease as held (not aborted). */
  readonly lastHeldAt?: number;
  /** The first acquisition by another worker while this lease was believed held. */
  readonly successorAt?: number;
  /** How the loss of a lease that had a successor was judged (see `judgeLease`). */
  readonly verdict?: LeaseVerdict;
}

/**
 * - `signalled`: `lease.signal` aborted before the successor's acquire resolved;
 * - `lost-at-first-look`: it aborted later, but the holder did not run in between: it was
 *   stopped (SIGSTOP) when the successor acquired, or missed its reads (not scheduled), and the
 *   first read when it ran again said lost;
 * - `silent`: the holder read its lease as held after the successor had the lock, or was running
 *   (reading every 5 ms) when the successor got it and its signal aborted only afterwards;
 * - `killed`: the holder was killed before its signal aborted (it cannot act on the lock any more).
 */
export type LeaseVerdict = 'signalled' | 'lost-at-first-look' | 'silent' | 'killed';

/** Builds every lease of a run from its events, with successors and verdicts. */
export function leasesOf(events: readonly TimelineEvent[]): LeaseRecord[] {
  const byId = new Map<string, { -readonly [K in keyof LeaseRecord]: LeaseRecord[K] }>();
  const open = new Map<number, string>(); // lane -> id of the lease it holds
  const paused = new Map<number, [number, number][]>();
  for (const e of events) {
    if (e.type === 'worker-paused') {
      paused.set(e.lane, [...(paused.get(e.lane) ?? []), [e.t, e.until]]);
      continue;
    }
    if (e.type === 'worker-exit') {
      const id = open.get(e.lane);
      const lease = id === undefined ? undefined : byId.get(id);
      if (lease !== undefined && lease.releasingAt === undefined) lease.killedAt = e.t;
      open.delete(e.lane);
      continue;
    }
    if (!('iteration' in e)) continue;
    const id = `${e.lane}/${e.iteration}`;
    if (e.type === 'acquired') {
      byId.set(id, { lane: e.lane, iteration: e.iteration, token: e.token ?? '', acquiredAt: e.t });
      open.set(e.lane, id);
    }
    const lease = byId.get(id);
    if (lease === undefined) continue;
    if (e.type === 'lost' && lease.releasingAt === undefined && lease.lostAt === undefined) {
      lease.lostAt = e.t;
      lease.lostReason = e.reason;
      lease.lostSinceLookMs = e.sinceLookMs;
    } else if (e.type === 'releasing') {
      lease.releasingAt = e.t;
      if (e.lastHeldAt !== undefined) lease.lastHeldAt = e.lastHeldAt;
      open.delete(e.lane);
    }
  }
  const leases = [...byId.values()].sort((a, b) => a.acquiredAt - b.acquiredAt);
  for (const lease of leases) {
    const end = lease.releasingAt ?? lease.killedAt ?? Number.POSITIVE_INFINITY;
    const successor = leases.find(
      (other) => other.lane !== lease.lane && other.acquiredAt > lease.acquiredAt && other.acquiredAt < end,
    );
    if (successor === undefined) continue;
    lease.successorAt = successor.acquiredAt;
    const stopped = (paused.get(lease.lane) ?? []).some(
      ([from, until]) => from <= successor.acquiredAt && successor.acquiredAt <= until,
    );
    lease.verdict = judgeLease(lease, successor.acquiredAt, stopped);
  }
  return leases;
}

/**
 * The contract: another client may hold the lock only after the first lease's signal aborted.
 * Judged on the shared monotonic clock against the successor's acquire (when it resolved, later
 * than the grant itself, so a verdict never blames a holder for the successor's round trip).
 */
export function judgeLease(lease: LeaseRecord, successorAt: number, stoppedThen = false): LeaseVerdict {
  if (lease.lostAt !== undefined && lease.lostAt <= successorAt) return 'signalled';
  // A killed worker never reported its last reads; it cannot act on the lock any more either.
  if (lease.killedAt !== undefined) return 'killed';
  if (lease.lostAt === undefined) return 'silent';
  if (lease.lastHeldAt !== undefined && lease.lastHeldAt > successorAt) return 'silent';
  // No read after the successor's acquire said held, and the signal aborted later: excused only if
  // the holder could not run (stopped, or its reads lapsed); a running holder was told late.
  const lapsed = (lease.lostSinceLookMs ?? 0) > UNSCHEDULED_MS;
  return stoppedThen || lapsed ? 'lost-at-first-look' : 'silent';
}

/** Three of a holder's 5 ms reads missed: it was not running (stopped or not scheduled). */
const UNSCHEDULED_MS = 15;
