import { randomUUID } from 'node:crypto';
import { InvalidArgumentError } from '@locksmith/core';
import { validateBoolean, validateInteger, validateOptionsObject } from '@locksmith/core/protocol';
import { memoryFence } from '@locksmith/fencing';
import { scaled } from '../time-scale.ts';
import { countRun } from './fault-analysis.ts';
import { cutFault, type LaneProxies, latencyFault } from './fault-network.ts';
import { killFault, pauseFault } from './fault-process.ts';
import type { FaultOutcome, FaultRunResult, FaultSuiteResult } from './fault-result.ts';
import { FaultRun } from './fault-run.ts';
import { serverFault } from './fault-server.ts';
import type { FaultContext } from './fault-steps.ts';
import {
  FAULT_NAMES,
  type FaultName,
  type FaultSkip,
  type FaultTarget,
  isFaultSkip,
  type NetworkRoute,
  type ServerFaultSetup,
} from './fault-target.ts';
import type { InjectionRecord } from './fault-timeline.ts';
import { PrivateProxies, toxiproxyUnavailable } from './toxiproxy.ts';

/** Options of {@link runFaultSuite} and {@link runFault}. */
export interface FaultSuiteOptions {
  /** @defaultValue every fault, in {@link FAULT_NAMES} order */
  readonly faults?: readonly FaultName[];
  /** Worker processes per run (killed ones are replaced). Integer 2–16. @defaultValue 3 */
  readonly workers?: number;
  /** One injection per fault where there could be several, shorter windows. @defaultValue false */
  readonly quick?: boolean;
  /** Time a holder spends between its read and its step. @defaultValue 20 */
  readonly criticalMs?: number;
  /** Progress lines of a long run. */
  readonly onProgress?: (line: string) => void;
  /** Node flags for the workers. @defaultValue tsx's loader when the client module is TypeScript */
  readonly execArgv?: readonly string[];
  /** Limit of one fault's run; its workers are killed then. @defaultValue `scaled(240_000)` */
  readonly timeoutMs?: number;
}

const OPTIONS = ['faults', 'workers', 'quick', 'criticalMs', 'onProgress', 'execArgv', 'timeoutMs'] as const;

interface Resolved {
  readonly faults: readonly FaultName[];
  readonly workers: number;
  readonly quick: boolean;
  readonly criticalMs: number;
  readonly log: (line: string) => void;
  readonly execArgv?: readonly string[];
  readonly timeoutMs: number;
}

function resolve(target: FaultTarget, options: FaultSuiteOptions | undefined): Resolved {
  if (typeof target !== 'object' || target === null)
    throw new InvalidArgumentError('target', 'must be an object');
  if (typeof target.name !== 'string' || target.name === '')
    throw new InvalidArgumentError('target.name', 'must be a non-empty string');
  if (typeof target.client?.module !== 'string' || target.client.module === '')
    throw new InvalidArgumentError('target.client.module', 'must be a non-empty path or URL');
  validateInteger('target.ttlMs', target.ttlMs, { min: 1, max: 600_000 });
  if (target.takeoverMs !== undefined)
    validateInteger('target.takeoverMs', target.takeoverMs, { min: 1, max: 3_600_000 });
  const o = validateOptionsObject<FaultSuiteOptions>('options', options ?? {}, [...OPTIONS]);
  const faults = o.faults ?? FAULT_NAMES;
  if (!Array.isArray(faults) || faults.some((f) => !FAULT_NAMES.includes(f)))
    throw new InvalidArgumentError('options.faults', `must list faults among ${FAULT_NAMES.join(', ')}`);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function')
    throw new InvalidArgumentError('options.onProgress', 'must be a function');
  return {
    faults,
    workers: o.workers === undefined ? 3 : validateInteger('options.workers', o.workers, { min: 2, max: 16 }),
    quick: o.quick === undefined ? false : validateBoolean('options.quick', o.quick),
    criticalMs:
      o.criticalMs === undefined
        ? 20
        : validateInteger('options.criticalMs', o.criticalMs, { min: 0, max: 60_000 }),
    log: o.onProgress ?? (() => undefined),
    ...(o.execArgv === undefined ? {} : { execArgv: o.execArgv }),
    timeoutMs:
      o.timeoutMs === undefined
        ? scaled(240_000)
        : validateInteger('options.timeoutMs', o.timeoutMs, { min: 1 }),
  };
}

/** Why `fault` does not run against `target`, or `undefined` when it does. */
async function skipOf(target: FaultTarget, fault: FaultName): Promise<FaultSkip | undefined> {
  const entry =
    fault === 'latency' || fault === 'cut'
      ? target.network
      : fault === 'restart' || fault === 'member'
        ? target[fault]
        : target[fault];
  if (isFaultSkip(entry)) return entry;
  if (fault === 'latency' || fault === 'cut') {
    const why = await toxiproxyUnavailable((entry as NetworkRoute).toxiproxyUrl);
    if (why !== undefined) return { skip: 'not-run', reason: why };
  }
  return undefined;
}

/**
 * Runs every selected fault against `target`, one after another (see {@link runFault}).
 * @throws InvalidArgumentError on a bad target or option, before any process starts.
 */
export async function runFaultSuite(
  target: FaultTarget,
  options?: FaultSuiteOptions,
): Promise<FaultSuiteResult> {
  const resolved = resolve(target, options);
  const outcomes: FaultOutcome[] = [];
  for (const fault of resolved.faults) outcomes.push(await runResolved(target, fault, resolved));
  return { target: target.name, outcomes };
}

/**
 * Runs one fault against `target`: `workers` processes do fenced read-modify-write increments of a
 * counter under the lock on one key while the fault is injected; the result counts what the
 * resource and the timeline saw. A fault that does not apply comes back `n/a` or `not-run` with
 * the reason; a run that broke (a worker that never started, a timeout) comes back `error`.
 * @throws InvalidArgumentError on a bad target or option, before any process starts.
 */
export async function runFault(
  target: FaultTarget,
  fault: FaultName,
  options?: FaultSuiteOptions,
): Promise<FaultOutcome> {
  const resolved = resolve(target, { ...options, faults: [fault] });
  return runResolved(target, fault, resolved);
}

async function runResolved(target: FaultTarget, fault: FaultName, o: Resolved): Promise<FaultOutcome> {
  const skip = await skipOf(target, fault);
  if (skip !== undefined) {
    o.log(`${target.name} ${fault}: ${skip.skip}: ${skip.reason}`);
    return { fault, status: skip.skip, reason: skip.reason };
  }
  o.log(`${target.name} ${fault}: starting ${o.workers} workers`);
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  const state: { run?: FaultRun } = {};
  try {
    const result = await Promise.race([
      execute(target, fault, o, cleanups, state),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the run did not finish within ${o.timeoutMs} ms`)),
          o.timeoutMs,
        );
      }),
    ]);
    const outcome = { ...result, durationMs: performance.now() - started };
    o.log(`${target.name} ${fault}: done in ${Math.round(outcome.durationMs)} ms`);
    return outcome;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    o.log(`${target.name} ${fault}: error: ${reason}`);
    return { fault, status: 'error', reason };
  } finally {
    clearTimeout(timer);
    await state.run?.destroy();
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

async function execute(
  target: FaultTarget,
  fault: FaultName,
  o: Resolved,
  cleanups: (() => Promise<void>)[],
  state: { run?: FaultRun },
): Promise<Omit<FaultRunResult, 'durationMs'>> {
  const takeoverMs = scaled(target.takeoverMs ?? 5 * target.ttlMs + 5_000);
  let server: ServerFaultSetup | undefined;
  if (fault === 'restart' || fault === 'member') {
    server = await (target[fault] as Exclude<FaultTarget['restart'], FaultSkip>).prepare();
    const setup = server;
    cleanups.push(() => setup.dispose());
  }
  let net: LaneProxies | undefined;
  if (fault === 'latency' || fault === 'cut') net = laneProxies(target.network as NetworkRoute, cleanups);
  const run = new FaultRun({
    client: { ...target.client, env: { ...target.client.env, ...server?.env } },
    key: `locksmith-faults/${fault}/${randomUUID()}`,
    ttlMs: target.ttlMs,
    waitMs: 2 * takeoverMs,
    criticalMs: o.criticalMs,
    observeMs: 5,
    fence: memoryFence(),
    ...(net === undefined
      ? {}
      : { laneEnv: (lane: number) => routeLane(target.network as NetworkRoute, net, lane) }),
    ...(o.execArgv === undefined ? {} : { execArgv: o.execArgv }),
  });
  state.run = run;
  await run.start(o.workers);
  const ctx: FaultContext = {
    run,
    ttlMs: target.ttlMs,
    takeoverMs,
    quick: o.quick,
    log: (l) => o.log(`${target.name} ${fault}: ${l}`),
  };
  // Every worker takes the lock a couple of times before the fault, and again after it.
  const acquisitions = () => run.events.filter((e) => e.type === 'acquired').length;
  await run.waitFor(() => acquisitions() >= 2 * o.workers, takeoverMs, 0);
  const injections = await inject(fault, ctx, net, server);
  const before = acquisitions();
  await run.waitFor(() => acquisitions() >= before + 2 * o.workers, takeoverMs);
  await run.stop(takeoverMs + scaled(10_000));
  const probe = await run.probe(2 * takeoverMs);
  const failures = [...run.failures, ...(probe.error === undefined ? [] : [`fresh client: ${probe.error}`])];
  const { counts, leases } = countRun(run.events, run.ledger.counts(), injections, probe.ms ?? null);
  const knownGap = target.knownGaps?.[fault];
  return {
    fault,
    status: 'ran',
    fencing: run.fencing,
    ttlMs: target.ttlMs,
    workers: o.workers,
    counts,
    injections,
    ...(knownGap === undefined ? {} : { knownGap }),
    failures,
    leases,
    events: run.events,
  };
}

function inject(
  fault: FaultName,
  ctx: FaultContext,
  net: LaneProxies | undefined,
  server: ServerFaultSetup | undefined,
): Promise<InjectionRecord[]> {
  switch (fault) {
    case 'pause':
      return pauseFault(ctx);
    case 'kill':
      return killFault(ctx);
    case 'latency':
      return latencyFault(ctx, net!);
    case 'cut':
      return cutFault(ctx, net!);
    case 'restart':
    case 'member':
      return serverFault(ctx, server!.injections);
  }
}

function laneProxies(route: NetworkRoute, cleanups: (() => Promise<void>)[]): LaneProxies {
  const proxies = new PrivateProxies(route.toxiproxyUrl);
  cleanups.push(() => proxies.dispose());
  return { proxies, byLane: new Map() };
}

/** Gives a worker its own proxy in front of every endpoint; resolves its client environment. */
async function routeLane(
  route: NetworkRoute,
  net: LaneProxies,
  lane: number,
): Promise<Readonly<Record<string, string>>> {
  const made = await Promise.all(route.endpoints.map((endpoint) => net.proxies.create(endpoint)));
  (net.byLane as Map<number, readonly string[]>).set(
    lane,
    made.map((p) => p.name),
  );
  return route.env(made.map((p) => p.listen));
}
