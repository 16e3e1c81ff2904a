import type { Held, Locker } from '../adapters/adapter.ts';
import { delay, sinceNs, waitUntilNs } from '../clock.ts';
import { LatencyHistogram } from '../histogram.ts';
import type { TaskKind, TaskParams, TaskSpec, Window, WorkerResult } from './protocol.ts';
import { countSocketWrites } from './socket-writes.ts';

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

const latency: Body<'latency'> = async (ctx, p) => {
  const total = new LatencyHistogram();
  const acquire = new LatencyHistogram();
  const errors = new Errors();
  const own = `latency:${ctx.worker}`;
  const window = await ctx.sync<Window>('ready');
  ctx.setWindow(window);
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
  };
};

const contend: Body<'contend'> = async (ctx, p) => {
  const events: number[] = [];
  const errors = new Errors();
  const window = await ctx.sync<Window>('ready');
  ctx.setWindow(window);
  await waitUntilNs(ctx.epoch, window.startAt);
  for (;;) {
    const requestedAt = sinceNs(ctx.epoch);
    if (requestedAt >= window.stopAt) break;
    let held: Held | undefined;
    try {
      held = await ctx.locker.acquire('contended', {
        ttlMs: p.ttlMs,
        wait: true,
        keepAlive: false,
        signal: ctx.signal,
      });
    } catch (error) {
      if (ctx.signal.aborted) break;
      errors.note(error);
      await delay(1);
      continue;
    }
    const acquiredAt = sinceNs(ctx.epoch);
    if (p.csMs > 0) await delay(p.csMs);
    const releasedAt = sinceNs(ctx.epoch);
    try {
      await held?.release();
    } catch (error) {
      errors.note(error);
    }
    if (requestedAt >= window.measureFrom) events.push(requestedAt, acquiredAt, releasedAt);
    if (p.thinkMs > 0) await delay(p.thinkMs);
  }
  return { errors: errors.count, firstError: errors.first, events: Float64Array.from(events) };
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
  const stopCounting = countSocketWrites();
  await delay(p.windowMs);
  const writes = stopCounting();
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

const BODIES: { [K in TaskKind]: Body<K> } = {
  latency,
  contend,
  'hold-many': holdMany,
  'hold-one': holdOne,
  'wait-one': waitOne,
};

/** The body of a task kind. */
export function bodyOf<K extends TaskKind>(kind: K): Body<K> {
  return BODIES[kind];
}

export type { TaskSpec };
