import { sleep } from '@locksmith/core/protocol';
import type { FaultRun } from './fault-run.ts';
import type { TimelineEvent } from './fault-timeline.ts';

/** What a fault script gets: the run and its bounds. */
export interface FaultContext {
  readonly run: FaultRun;
  readonly ttlMs: number;
  /** Upper bound on a takeover after a holder stops renewing (see `FaultTarget.takeoverMs`). */
  readonly takeoverMs: number;
  /** Fewer injections and shorter windows. */
  readonly quick: boolean;
  readonly log: (line: string) => void;
}

/** The first acquisition by another worker than `lane` at or after `sinceMs`, within `boundMs`. */
export function successorOf(
  run: FaultRun,
  lane: number,
  sinceMs: number,
  boundMs: number,
): Promise<TimelineEvent | undefined> {
  return run.waitFor((e) => e.type === 'acquired' && e.lane !== lane, boundMs, sinceMs);
}

/** Once a successor holds, let it finish its increment (its write moves the fence past the old holder). */
export async function successorWrote(
  run: FaultRun,
  successor: TimelineEvent,
  boundMs: number,
): Promise<void> {
  await run.waitFor((e) => e.type === 'releasing' && e.lane === successor.lane, boundMs, successor.t);
}

/** Milliseconds from `endMs` to the next acquisition by any worker; `null` if none within `boundMs`. */
export async function recoveryAfter(run: FaultRun, endMs: number, boundMs: number): Promise<number | null> {
  const next = await run.waitFor((e) => e.type === 'acquired', boundMs, endMs);
  return next === undefined ? null : next.t - endMs;
}

/** Lanes queued in `acquire` for at least `minMs`, waiting up to `boundMs` for one; may be empty. */
export async function queuedLanes(run: FaultRun, minMs: number, boundMs: number): Promise<number[]> {
  const until = run.now() + boundMs;
  for (;;) {
    const lanes = run.queued(minMs);
    if (lanes.length > 0 || run.now() >= until) return lanes;
    await sleep(20);
  }
}

/**
 * When the lock was usable again after a fault aimed at one holder: at once (0) if another worker
 * got it during the fault, else from `endMs` to the next acquisition.
 */
export function recoveryOf(
  run: FaultRun,
  successor: TimelineEvent | undefined,
  endMs: number,
  boundMs: number,
): Promise<number | null> {
  return successor === undefined
    ? recoveryAfter(run, endMs, boundMs)
    : Promise.resolve(Math.max(0, successor.t - endMs));
}
