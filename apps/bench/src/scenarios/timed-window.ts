import { sinceNs } from '../clock.ts';
import { readCpuTimes, type WindowLoad, windowLoad } from '../machine-load.ts';
import { barrier } from '../pool.ts';
import type { CounterSnapshot, ServerCounters } from '../server-counters.ts';
import { counterDelta } from '../server-counters.ts';
import type { Window } from '../worker/protocol.ts';

export interface TimedWindowOptions {
  readonly epoch: bigint;
  /** Logical workers that must be ready before the window is handed out. */
  readonly workers: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly counters: ServerCounters | undefined;
}

/** Lead time before the start, so the barrier's replies reach every worker process first. */
const LEAD_NS = 50e6;

/**
 * The start barrier of a timed run: once every logical worker is ready it hands all of them one
 * window (start, end of warm-up, end), and reads the servers' counters at the start and the end
 * of the measured part.
 */
export function timedWindow(o: TimedWindowOptions) {
  let window: Window | undefined;
  let delta: Promise<CounterSnapshot | undefined> = Promise.resolve(undefined);
  let load: Promise<WindowLoad | undefined> = Promise.resolve(undefined);
  const ready = barrier(o.workers, () => {
    const now = sinceNs(o.epoch);
    const w: Window = {
      startAt: now + LEAD_NS,
      measureFrom: now + LEAD_NS + o.warmupMs * 1e6,
      stopAt: now + LEAD_NS + (o.warmupMs + o.durationMs) * 1e6,
    };
    window = w;
    if (o.counters !== undefined)
      delta = measureCounters(o.counters, (w.measureFrom - now) / 1e6, o.durationMs);
    load = measureLoad((w.measureFrom - now) / 1e6, o.durationMs);
    return w;
  });
  return {
    ready,
    /** The window handed out (throws if the workers never got ready). */
    get window(): Window {
      if (window === undefined) throw new Error('the workers never got ready');
      return window;
    },
    /** The counters' change over the measured window, once it has ended. */
    counters: () => delta,
    /** Idle and steal CPU over the measured window and the load at its end. */
    load: () => load,
  };
}

async function measureCounters(
  counters: ServerCounters,
  inMs: number,
  forMs: number,
): Promise<CounterSnapshot | undefined> {
  await new Promise((resolve) => setTimeout(resolve, inMs));
  const before = await counters.snapshot();
  await new Promise((resolve) => setTimeout(resolve, forMs));
  const after = await counters.snapshot();
  return counterDelta(before, after, counters.servers);
}

async function measureLoad(inMs: number, forMs: number): Promise<WindowLoad> {
  await new Promise((resolve) => setTimeout(resolve, inMs));
  const before = readCpuTimes();
  await new Promise((resolve) => setTimeout(resolve, forMs));
  return windowLoad(before, readCpuTimes());
}
