import type { BenchAdapter, BenchEnv } from '../adapters/adapter.ts';
import type { LatencyHistogram } from '../histogram.ts';
import type { TaskRunner } from '../pool.ts';
import type { Entry } from '../results/schema.ts';
import type { ServerCounters } from '../server-counters.ts';
import type { TaskKind, TaskParams, TaskSpec } from '../worker/protocol.ts';

/** How long and how wide a run is: `--quick`, the full default, or narrowed by flags. */
export interface RunSettings {
  readonly quick: boolean;
  /** `--duration`: measured time of every timed scenario, overriding its default. */
  readonly durationMs?: number;
  /** `--workers`: worker counts of every multi-worker scenario, overriding their defaults. */
  readonly workers?: readonly number[];
  /** `--rounds`: rounds of every timed scenario, overriding their defaults. */
  readonly rounds?: number;
}

/** One measured variant of a scenario (e.g. 16 workers). */
export interface Plan {
  /** `workers=16`, `leases=10000`, or `''`. */
  readonly variant: string;
  /** For the progress line's time left. */
  readonly estimateMs: number;
  /** Echoed into results.json `params.scenarioParams`. */
  readonly params: Readonly<Record<string, number>>;
}

/** What a scenario run can use. */
export interface ScenarioContext {
  readonly pool: TaskRunner;
  readonly env: BenchEnv;
  /** The run's epoch on the shared monotonic clock. */
  readonly epoch: bigint;
  /** Counters of the servers this adapter uses, if it uses any. */
  countersFor(adapter: BenchAdapter): ServerCounters | undefined;
}

/** Figures a scenario derives from its latency histograms (recomputed once the rounds are merged). */
export interface HistogramFigures {
  readonly metrics: Readonly<Record<string, number | null>>;
  /** Figures that are only lower bounds (censored waits), shown as "> X". */
  readonly lowerBounds: readonly string[];
  readonly curve: Entry['curve'];
}

/** What a scenario returns for one adapter and plan (one round). */
export type Measured = Pick<Entry, 'status' | 'reason' | 'metrics' | 'curve' | 'lowerBounds'> & {
  /**
   * The round's latency histograms. The rounds' histograms are merged and `fromHistograms` gives
   * the entry's percentiles from the merge: one row's p50 and p99 then come from the same
   * distribution, never from different rounds.
   */
  readonly histograms?: Readonly<Record<string, LatencyHistogram>>;
  readonly fromHistograms?: (h: Readonly<Record<string, LatencyHistogram>>) => HistogramFigures;
};

export interface Scenario {
  readonly name: string;
  readonly title: string;
  /** One sentence for the report: what is measured and how. */
  readonly description: string;
  plans(settings: RunSettings): Plan[];
  /**
   * How many times each plan runs, round-robin over the mechanisms, so a change in the machine's
   * background load spreads over all of them; the entry takes the median of the rounds.
   * @defaultValue 1
   */
  rounds?(settings: RunSettings): number;
  /** Why this scenario does not apply to `adapter`, or `undefined` when it does. */
  skipReason?(adapter: BenchAdapter): string | undefined;
  run(ctx: ScenarioContext, adapter: BenchAdapter, plan: Plan): Promise<Measured>;
}

/** Scenario parameters of a mode. */
export function pick<T>(settings: RunSettings, values: { quick: T; full: T }): T {
  return settings.quick ? values.quick : values.full;
}

/**
 * Rounds of every timed scenario: at least 5 in a full run (3 in a quick one), so each figure
 * comes with the spread of its rounds; `--rounds` overrides.
 */
export function timedRounds(settings: RunSettings): number {
  return settings.rounds ?? pick(settings, { quick: 3, full: 5 });
}

/** Warm-up before every measured window. */
export function warmupMs(settings: RunSettings): number {
  return pick(settings, { quick: 150, full: 300 });
}

/**
 * Which worker process runs which logical workers: one process per worker, or all of them in one
 * process for a mechanism whose lock lives in one process.
 */
export function assign<K extends TaskKind>(
  adapter: BenchAdapter,
  ctx: ScenarioContext,
  workers: number,
  kind: K,
  params: TaskParams[K],
  drainMs: number,
): { slot: number; task: TaskSpec<K> }[] {
  const task = (ids: number[]): TaskSpec<K> => ({
    adapter: adapter.name,
    env: ctx.env,
    kind,
    params,
    workers: ids,
    epoch: String(ctx.epoch),
    drainMs,
  });
  const ids = Array.from({ length: workers }, (_, i) => i);
  return adapter.scope === 'process'
    ? [{ slot: 0, task: task(ids) }]
    : ids.map((id) => ({ slot: id, task: task([id]) }));
}

/** A failed entry with the worker's message. */
export function failed(reason: string): Measured {
  return { status: 'failed', reason, metrics: {}, curve: null };
}

export const variantOf = (name: string, value: number) => `${name}=${value}`;
