import type { Held, Locker } from '../adapters/adapter.ts';
import { delay, sinceNs, waitUntilNs } from '../clock.ts';
import { LatencyHistogram } from '../histogram.ts';
import { type ClientCounts, countClientRequests } from './client-counters.ts';
import type { TaskKind, TaskParams, TaskSpec, Window, WorkerResult } from './protocol.ts';

/** What a task body gets: its locker, the clock and a barrier/report channel to the coordinator. */
export interface TaskContext {
  readonly worker: number;
  readonly locker: Locker;
  readonly epoch: bigint;
  /** Ends waits after the window (stopAt + drainMs). */
  readonly signal: AbortSignal;
  /** Sends `name` to the coordinator and resolves with its reply (a barrier for most names). */
  sync<T = unknown>(name: string, data?: unknown): Promise<T>;
  /** Called with the window once known, so the process can arm its drain timer. */
  setWindow(window: Window): void;
  /** This logical worker counts its process's client requests (the first of a process, never in-process locks). */
  readonly countsClients: boolean;
}

type Body<K extends TaskKind> = (
  ctx: TaskContext,
  params: TaskParams[K],
) => Promise<Omit<WorkerResult, 'worker'>>;

/** Counts loop errors; a mechanism failing on every call stops the loop instead of spinning. */
class Errors {
  count = 0;
  first: string | null = null;
  note(error: unknown): void {
    this.count += 1;
    this.first ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (this.count > 1_000) throw new Error(`more than 1,000 errors; first: ${this.first}`);
  }
}

/** The client requests of this process over the measured window, when this worker counts them. */
async function countWindow(ctx: TaskContext, window: Window): Promise<ClientCounts | undefined> {
  if (!ctx.countsClients) return undefined;
  await waitUntilNs(ctx.epoch, window.measureFrom);
  const stop = await countClientRequests();
  await waitUntilNs(ctx.epoch, window.stopAt);
  return stop();
}

const latency: Body<'latency'> = async (ctx, p) => {
  const total = new LatencyHistogram();
  const acquire = new LatencyHistogram();
  const errors = new Errors();
  const own = `latency:${ctx.worker}`;
  if (ctx.countsClients) await countClientRequests(); // loads and installs the counters before the barrier
  const window = await ctx.sync<Window>('ready');
  ctx.setWindow(window);
  const counting = countWindow(ctx, window);
  await waitUntilNs(ctx.epoch, window.startAt);
  let count = 0;
  for (;;) {
    const key = p.keys <= 1 ? own : `keys:${Math.floor(Math.random() * p.keys)}`;
    const t0 = sinceNs(ctx.epoch);
    if (t0 >= window.stopAt) break;
    try {
      const held = await ctx.locker.acquire(key, {
        ttlMs: p.ttlMs,
        wait: true,
        keepAlive: false,
        signal: ctx.signal,
      });
      const t1 = sinceNs(ctx.epoch);
      await held?.release();
      const t2 = sinceNs(ctx.epoch);
      if (t0 >= window.measureFrom) {
        total.record(t2 - t0);
        acquire.record(t1 - t0);
        count += 1;
      }
    } catch (error) {
      if (ctx.signal.aborted) break;
      errors.note(error);
      await delay(1);
    }
  }
  return {
    errors: errors.count,
    firstError: errors.first,
    total: total.encode(),
    acquire: acquire.encode(),
    count,
    ...withSent(await counting),
  };
};

const withSent = (c: ClientCounts | undefined) => (c === undefined ? {} : { sent: c });

const contend: Body<'contend'> = async (ctx, p) => {
  const events: number[] = [];
  const errors = new Errors();
  if (ctx.countsClients) await countClientRequests(); // loads and installs the counters before the barrier
  const window = await ctx.sync<Window>('ready');
  ctx.setWindow(window);
  const counting = countWindow(ctx, window);
  await waitUntilNs(ctx.epoch, window.startAt);
  // The wait is measured from when the worker meant to ask (release done + think time), so a late
  // think timer or a slow loop cannot hide part of the wait (coordinated omission).
  let intendedAt = window.startAt;
  while (intendedAt < window.stopAt) {
    const requestedAt = sinceNs(ctx.epoch);
    let held: Held | undefined;
    try {
      if (!ctx.signal.aborted)
        held = await ctx.locker.acquire('contended', {
          ttlMs: p.ttlMs,
          wait: true,
          keepAlive: false,
          signal: ctx.signal,
        });
    } catch (error) {
      if (!ctx.signal.aborted) {
        errors.note(error);
        await delay(1);
        continue; // the same request goes on: its wait still counts from intendedAt
      }
    }
    if (held === undefined) {
      events.push(intendedAt, requestedAt, Number.NaN, Number.NaN); // never granted: the run stopped it
      break;
    }
    const acquiredAt = sinceNs(ctx.epoch);
    if (p.csMs > 0) await delay(p.csMs);
    const releasedAt = sinceNs(ctx.epoch);
    try {
      await held.release();
    } catch (error) {
      errors.note(error);
    }
    events.push(intendedAt, requestedAt, acquiredAt, releasedAt);
    intendedAt = sinceNs(ctx.epoch) + p.thinkMs * 1e6;
    if (p.thinkMs > 0) await delay(p.thinkMs);
  }
  return {
    errors: errors.count,
    firstError: errors.first,
    events: Float64Array.from(events),
    ...withSent(await counting),
  };
};

/** Exponential gap (ns) of a Poisson process of `ratePerSec`. */
const poissonGapNs = (ratePerSec: number) => (-Math.log(1 - Math.random()) / ratePerSec) * 1e9;

const arrive: Body<'arrive'> = async (ctx, p) => {
  const events: number[] = [];
  const errors = new Errors();
  if (ctx.countsClients) await countClientRequests(); // loads and installs the counters before the barrier
  const window = await ctx.sync<Window>('ready');
  ctx.setWindow(window);
  const counting = countWindow(ctx, window);
  const queue: number[] = [];
  let active = 0;
  let arriving = true;
  let finished: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const serve = async (arrivedAt: number) => {
    let acquiredAt = Number.NaN;
    try {
      if (!ctx.signal.aborted) {
        const held = await ctx.locker.acquire('open-loop', {
          ttlMs: p.ttlMs,
          wait: true,
          keepAlive: false,
          signal: ctx.signal,
        });
        if (held !== undefined) {
          acquiredAt = sinceNs(ctx.epoch);
          if (p.csMs > 0) await delay(p.csMs);
          await held.release();
        }
      }
    } catch (error) {
      if (!ctx.signal.aborted) errors.note(error);
    }
    events.push(arrivedAt, acquiredAt);
  };
  const pump = () => {
    while (queue.length > 0 && active < p.inFlight) {
      active += 1;
      void serve(queue.shift()!).finally(() => {
        active -= 1;
        pump();
      });
    }
    if (!arriving && active === 0 && queue.length === 0) finished();
  };
  // Arrival times are fixed in advance of the lock's answers: a slow lock does not slow the arrivals.
  let next = window.startAt + poissonGapNs(p.ratePerSec);
  while (next < window.stopAt) {
    await waitUntilNs(ctx.epoch, next);
    queue.push(next);
    pump();
    next += poissonGapNs(p.ratePerSec);
  }
  arriving = false;
  pump();
  await done; // the run's signal aborts every wait still pending at the window's end
  return {
    errors: errors.count,
    firstError: errors.first,
    events: Float64Array.from(events),
    ...withSent(await counting),
  };
};

/** Runs `fn` over `items` with at most `limit` in flight. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(lanes);
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

const holdMany: Body<'hold-many'> = async (ctx, p) => {
  const errors = new Errors();
  const helds: Held[] = [];
  collectGarbage();
  const before = process.memoryUsage();
  const t0 = sinceNs(ctx.epoch);
  const keys = Array.from({ length: p.count }, (_, i) => `held:${i}`);
  await eachLimited(keys, 64, async (key) => {
    try {
      const held = await ctx.locker.acquire(key, {
        ttlMs: p.ttlMs,
        wait: true,
        keepAlive: true,
        signal: ctx.signal,
      });
      if (held !== undefined) helds.push(held);
    } catch (error) {
      errors.note(error);
    }
  });
  const acquireAllNs = sinceNs(ctx.epoch) - t0;
  collectGarbage();
  const after = process.memoryUsage();
  await ctx.sync('holding');
  const w0 = sinceNs(ctx.epoch);
  const cpu = process.cpuUsage();
  const stopCounting = await countClientRequests();
  await delay(p.windowMs);
  const { writes, commands } = stopCounting();
  const used = process.cpuUsage(cpu);
  const windowNs = sinceNs(ctx.epoch) - w0;
  await ctx.sync('measured');
  const lost = helds.filter((h) => h.lost).length;
  await eachLimited(helds, 64, async (h) => {
    try {
      await h.release();
    } catch (error) {
      if (!h.lost) errors.note(error);
    }
  });
  return {
    errors: errors.count,
    firstError: errors.first,
    held: helds.length,
    acquireAllNs,
    cpuMicros: used.user + used.system,
    windowNs,
    rssBytes: after.rss - before.rss,
    heapBytes: after.heapUsed - before.heapUsed,
    lost,
    writes,
    commandsSent: commands,
  };
};

const holdOne: Body<'hold-one'> = async (ctx, p) => {
  await ctx.locker.acquire('recovery', { ttlMs: p.ttlMs, wait: true, keepAlive: true, signal: ctx.signal });
  await ctx.sync('held');
  // Held until the coordinator kills this process (SIGKILL): nothing after this runs.
  return new Promise(() => {});
};

const waitOne: Body<'wait-one'> = async (ctx, p) => {
  await ctx.sync('ready'); // the holder holds the key now
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(p.timeoutMs)]);
  const pending = ctx.locker.acquire('recovery', { ttlMs: p.ttlMs, wait: true, keepAlive: false, signal });
  pending.catch(() => {});
  void ctx.sync('waiting');
  const held = await pending;
  const acquiredAt = sinceNs(ctx.epoch);
  await held?.release();
  return { errors: 0, firstError: null, acquiredAt };
};

/** The locker's `elect`, or an error naming the adapter's gap (the scenario skips such adapters). */
function electOf(ctx: TaskContext): NonNullable<Locker['elect']> {
  const elect = ctx.locker.elect;
  if (elect === undefined) throw new Error('this mechanism has no leader election');
  return elect.bind(ctx.locker);
}

const leadOne: Body<'lead-one'> = async (ctx, p) => {
  const leadership = await electOf(ctx)(p.name, {
    ttlMs: p.ttlMs,
    wait: true,
    keepAlive: true,
    signal: ctx.signal,
  });
  await ctx.sync('leading');
  if (p.watch !== 1) return new Promise(() => {}); // leads until the coordinator kills this process
  // A 1 ms check. A gap longer than half the TTL between two checks is the pause: the first check
  // after it is when this process resumed, and from then on the leader reads its leadership.
  // lostAt is when the check that read "lost" began: the loss handling it sets off (signal
  // listeners, the release it sends) is not the leader's ignorance.
  let last = sinceNs(ctx.epoch);
  let resumedAt: number | undefined;
  let lostAt: number;
  for (;;) {
    const now = sinceNs(ctx.epoch);
    if (resumedAt === undefined && now - last > (p.ttlMs / 2) * 1e6) resumedAt = now;
    last = now;
    if (leadership.lost) {
      lostAt = now;
      break;
    }
    await delay(1);
  }
  await leadership.release();
  return {
    errors: 0,
    firstError: null,
    lostAt,
    ...(resumedAt === undefined ? {} : { acquiredAt: resumedAt }),
  };
};

const campaignOne: Body<'campaign-one'> = async (ctx, p) => {
  await ctx.sync('ready'); // the leader leads now
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(p.timeoutMs)]);
  const pending = electOf(ctx)(p.name, { ttlMs: p.ttlMs, wait: true, keepAlive: true, signal });
  pending.catch(() => {});
  void ctx.sync('waiting');
  const leadership = await pending;
  const acquiredAt = sinceNs(ctx.epoch);
  await leadership.release();
  return { errors: 0, firstError: null, acquiredAt };
};

const BODIES: { [K in TaskKind]: Body<K> } = {
  latency,
  contend,
  arrive,
  'hold-many': holdMany,
  'hold-one': holdOne,
  'wait-one': waitOne,
  'lead-one': leadOne,
  'campaign-one': campaignOne,
};

/** The body of a task kind. */
export function bodyOf<K extends TaskKind>(kind: K): Body<K> {
  return BODIES[kind];
}

export type { TaskSpec };
