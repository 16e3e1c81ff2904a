import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { releaseStartedServers, repoRoot, reportsDir } from '@locksmith/app-kit';
import type { BenchAdapter, BenchEnv, Requirement } from './adapters/adapter.ts';
import { ADAPTERS, adapterNamed } from './adapters/registry.ts';
import type { RunArgs } from './args.ts';
import { type BackendStatus, prepareBackends } from './backends.ts';
import { monotonicNs } from './clock.ts';
import { gitInfo, machineInfo, packageVersions } from './machine.ts';
import { WorkerPool } from './pool.ts';
import { Progress } from './progress.ts';
import { headlineCells, textTable } from './report/headline.ts';
import { type ReportFiles, writeReport } from './report/write-report.ts';
import { formatMetric } from './results/metrics.ts';
import type { BenchResults, Entry, MechanismInfo, OverheadCheck } from './results/schema.ts';
import { combineRounds } from './scenarios/combine-rounds.ts';
import { checkOverhead } from './scenarios/overhead.ts';
import { SCENARIOS, scenarioNamed } from './scenarios/registry.ts';
import type { Measured, Plan, RunSettings, Scenario, ScenarioContext } from './scenarios/scenario.ts';
import { counterDelta, counterUrls, ServerCounters } from './server-counters.ts';

type Log = (line: string) => void;

/** Opens the adapter here, takes and releases one key, closes: proves it works before the run. */
async function probe(adapter: BenchAdapter, env: BenchEnv): Promise<string | undefined> {
  try {
    const locker = await adapter.open(env);
    try {
      const held = await locker.acquire('probe', { ttlMs: 5_000, wait: false, keepAlive: false });
      await held?.release();
    } finally {
      await locker.close();
    }
    return undefined;
  } catch (error) {
    return `failed to open: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** A short result for the progress log. */
function summarize(scenario: string, m: Measured): string {
  if (m.status !== 'ok') return `${m.status}: ${m.reason}`;
  const f = (k: string) => formatMetric(k, m.metrics[k]);
  switch (scenario) {
    case 'uncontended':
    case 'many-keys':
      return `p50 ${f('p50Us')}, p99 ${f('p99Us')}, ${f('opsPerSec')} ops/s`;
    case 'held-leases':
      return `CPU ${f('cpuPercent')}, ${f('roundTripsPerTtl')} round trips/TTL, lost ${f('lost')}`;
    case 'recovery':
      return `recovered in ${f('recoveryMs')}`;
    case 'open-loop':
      return `offered ${f('offeredPerSec')}/s: ${f('acquisitionsPerSec')} acq/s, p99 ${f('p99Us')}, pending at end ${f('pendingAtEnd')}`;
    case 'fairness':
      return `Jain ${f('jain')}, longest wait ${f('longestWaitMs')}, ${f('acquisitionsPerSec')} acq/s`;
    default:
      return `${f('acquisitionsPerSec')} acq/s, wait p99 ${f('waitP99Us')}, handoff p50 ${f('handoffP50Us')}, sent ${f('commandsSentPerAcquisition')} cmds/acq, never granted ${f('neverGranted')}`;
  }
}

function runId(mode: BenchResults['mode']): string {
  return `${new Date().toISOString().slice(0, 19).replace(/:/g, '-')}Z-${mode}`;
}

/**
 * Runs the selected scenarios on every selected mechanism that can be reached, writes the report
 * and prints the summary table. Mechanisms whose servers cannot be reached are skipped with the
 * reason and how to get them.
 */
export async function runBench(
  args: RunArgs,
  log: Log = (l) => process.stderr.write(`${l}\n`),
): Promise<ReportFiles> {
  const wallStart = new Date();
  const t0 = performance.now();
  const adapters = args.mechanisms?.map(adapterNamed) ?? [...ADAPTERS];
  const scenarios = args.scenarios?.map(scenarioNamed) ?? [...SCENARIOS];
  const mode: BenchResults['mode'] =
    (args.mechanisms ?? args.scenarios ?? args.workers ?? args.durationMs ?? args.rounds)
      ? 'custom'
      : args.quick
        ? 'quick'
        : 'full';
  const settings: RunSettings = {
    quick: args.quick,
    ...(args.durationMs === undefined ? {} : { durationMs: args.durationMs }),
    ...(args.workers === undefined ? {} : { workers: args.workers }),
    ...(args.rounds === undefined ? {} : { rounds: args.rounds }),
  };
  const id = args.id ?? runId(mode);
  log(`locksmith bench ${id}: ${adapters.length} mechanisms × ${scenarios.length} scenarios`);

  const needed = [...new Set(adapters.flatMap((a) => a.requires))] as Requirement[];
  const backends = await prepareBackends(needed, log);
  try {
    return await measure({ log, adapters, scenarios, mode, settings, id, wallStart, t0, backends });
  } finally {
    // The run's last line: what became of the servers it started (none when all already served).
    const line = await releaseStartedServers(backends.started, args.keepServers === true);
    if (line !== undefined) process.stdout.write(`${line}\n`);
  }
}

/** What {@link runBench} settled before measuring. */
interface Prepared {
  readonly log: Log;
  readonly adapters: readonly BenchAdapter[];
  readonly scenarios: readonly Scenario[];
  readonly mode: BenchResults['mode'];
  readonly settings: RunSettings;
  readonly id: string;
  readonly wallStart: Date;
  readonly t0: number;
  readonly backends: BackendStatus;
}

/** Probes, measures every step, writes the report and prints the summary table. */
async function measure(prepared: Prepared): Promise<ReportFiles> {
  const { log, adapters, scenarios, mode, settings, id, wallStart, t0, backends } = prepared;
  const fileDir = await mkdtemp(join(tmpdir(), 'locksmith-bench-'));
  const env: BenchEnv = {
    fileDir,
    keyPrefix: `bench:${id}:`,
    ...(backends.redisUrl === undefined ? {} : { redisUrl: backends.redisUrl }),
    ...(backends.redlockUrls === undefined ? {} : { redlockUrls: backends.redlockUrls }),
  };

  const mechanisms: MechanismInfo[] = [];
  const runnable: BenchAdapter[] = [];
  for (const a of adapters) {
    const missing = a.requires.map((r) => backends.missing.get(r)).find((m) => m !== undefined);
    const reason = missing ?? (await probe(a, env));
    if (reason !== undefined) log(`skipping ${a.name}: ${reason}`);
    else runnable.push(a);
    mechanisms.push({
      name: a.name,
      backend: a.backend,
      kind: a.kind,
      scope: a.scope,
      floor: a.floor ?? null,
      summary: a.summary,
      settings: a.settings,
      status: reason === undefined ? 'ran' : 'skipped',
      reason: reason ?? null,
    });
  }

  const counters = new Map<string, ServerCounters>();
  for (const a of runnable) {
    const urls = counterUrls(a.requires, env);
    const key = urls.join(',');
    if (urls.length > 0 && !counters.has(key)) counters.set(key, await ServerCounters.open(urls));
  }
  const notes: string[] = [];
  await Promise.all(
    [...counters.entries()].map(async ([urls, c]) => {
      // The counters count every client of the server: say so when something else is using it.
      const before = await c.snapshot();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const idle = counterDelta(before, await c.snapshot(), c.servers).commands;
      if (idle > 0) {
        const note = `${urls}: other clients sent ${idle} commands in 1 s while the bench was idle; server command counts include such traffic`;
        notes.push(note);
        log(`note: ${note}`);
      }
    }),
  );
  const pool = new WorkerPool();
  const ctx: ScenarioContext = {
    pool,
    env,
    epoch: monotonicNs(),
    countersFor: (a) => counters.get(counterUrls(a.requires, env).join(',')),
  };

  const entries: Entry[] = [];
  const steps: { label: string; estimateMs: number; run: () => Promise<void> }[] = [];
  const maxWorkers = Math.max(
    2,
    ...scenarios.flatMap((s) => s.plans(settings).map((p) => p.params.workers ?? 1)),
  );
  const processScopedOnly = runnable.every((a) => a.scope === 'process');
  const poolSize = processScopedOnly ? 2 : maxWorkers;
  steps.push({
    label: `start ${poolSize} worker processes`,
    estimateMs: poolSize * 250,
    run: () => pool.ensure(poolSize),
  });
  const overheadChecks: OverheadCheck[] = [];
  for (const a of runnable.filter((x) => x.scope === 'process')) {
    steps.push({
      label: `harness overhead check (${a.name}: harness vs tinybench)`,
      estimateMs: settings.quick ? 3_000 : 7_000,
      run: async () => {
        overheadChecks.push(await checkOverhead(ctx, a, settings));
      },
    });
  }
  const scenarioParams: Record<string, Record<string, number | string | number[]>> = {};
  for (const s of scenarios) {
    const plans = s.plans(settings);
    const rounds = s.rounds?.(settings) ?? 1;
    scenarioParams[s.name] = { variants: plans.map((p) => p.variant).join(','), rounds, ...plans[0]?.params };
    const measured: BenchAdapter[] = [];
    for (const a of runnable) {
      const skip = s.skipReason?.(a);
      if (skip === undefined) measured.push(a);
      else {
        for (const plan of plans) {
          entries.push({
            mechanism: a.name,
            scenario: s.name,
            variant: plan.variant,
            status: 'skipped',
            reason: skip,
            metrics: {},
            curve: null,
          });
        }
      }
    }
    // Round-robin: round 1 of every mechanism, then round 2…, so background load hits them alike;
    // the order rotates each round, so no mechanism always runs first or right after the same one.
    for (let r = 1; r <= rounds; r++) {
      for (const a of rotate(measured, r - 1)) {
        for (const plan of plans) {
          steps.push({
            label: `${s.name}${plan.variant === '' ? '' : ` ${plan.variant}`} · ${a.name}${rounds > 1 ? ` (round ${r}/${rounds})` : ''}`,
            estimateMs: plan.estimateMs,
            run: () => runStep(s, a, plan, r === rounds),
          });
        }
      }
    }
  }

  const progress = new Progress(steps);
  log(`about ${Math.ceil(progress.estimateMs / 60_000)} min`);
  const roundsOf = new Map<string, Measured[]>();
  const roundsRun = () => [...roundsOf.values()].reduce((n, r) => n + r.length, 0);
  const runStep = async (s: Scenario, a: BenchAdapter, plan: Plan, last: boolean) => {
    let measured: Measured;
    try {
      measured = await s.run(ctx, a, plan);
    } catch (error) {
      measured = {
        status: 'failed',
        reason: error instanceof Error ? error.message : String(error),
        metrics: {},
        curve: null,
      };
    }
    const key = `${s.name}\n${a.name}\n${plan.variant}`;
    roundsOf.set(key, [...(roundsOf.get(key) ?? []), measured]);
    if (last)
      entries.push({
        mechanism: a.name,
        scenario: s.name,
        variant: plan.variant,
        ...combineRounds(roundsOf.get(key)!),
      });
    progress.done(summarize(s.name, measured));
  };
  try {
    for (const step of steps) {
      progress.start(step);
      const before = roundsRun();
      try {
        await step.run();
      } catch (error) {
        progress.log(`${step.label} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (roundsRun() === before) {
        const o = overheadChecks.at(-1);
        progress.done(
          step.label.startsWith('harness') && o !== undefined
            ? `harness ${formatMetric('opsPerSec', o.harnessOpsPerSec)}/s vs tinybench ${formatMetric('opsPerSec', o.tinybenchOpsPerSec)}/s: ratio ${o.ratio.toFixed(2)} (limit ${o.limit})`
            : 'done',
        );
      }
    }
  } finally {
    progress.finish();
    await pool.close();
    await Promise.all([...counters.values()].map((c) => c.close()));
    await rm(fileDir, { recursive: true, force: true });
  }

  const results: BenchResults = {
    schema: 'locksmith-bench-results',
    version: 1,
    id,
    startedAt: wallStart.toISOString(),
    durationSec: Math.round((performance.now() - t0) / 100) / 10,
    mode,
    machine: machineInfo(),
    versions: {
      node: process.version,
      git: gitInfo(repoRoot()),
      packages: packageVersions([...runnable.flatMap((a) => a.packages), 'tinybench', 'hdr-histogram-js']),
      servers: backends.versions,
    },
    params: {
      scenarios: scenarios.map((s) => s.name),
      mechanisms: adapters.map((a) => a.name),
      scenarioParams,
    },
    mechanisms,
    entries: order(entries, adapters, scenarios),
    overhead: overheadChecks.find((o) => o.mechanism === 'memory') ?? overheadChecks[0] ?? null,
    overheadChecks,
    notes: [
      ...notes,
      ...entries
        .filter((e) => e.status === 'failed')
        .map((e) => `${e.mechanism} ${e.scenario} ${e.variant}: ${e.reason}`),
    ],
  };
  const files = await writeReport(results, join(reportsDir('bench'), id));
  process.stdout.write(`\n${textTable(headlineCells(results))}\n\n`);
  for (const o of overheadChecks) {
    process.stdout.write(
      `harness overhead: ${formatMetric('opsPerSec', o.harnessOpsPerSec)} ops/s through the harness, ${formatMetric('opsPerSec', o.tinybenchOpsPerSec)} ops/s with tinybench directly: ${o.ratio.toFixed(2)}× (limit ${o.limit}) ${o.pass ? 'ok' : 'TOO SLOW'} (${o.mechanism})\n`,
    );
  }
  process.stdout.write(
    `report: ${files.markdown}\n        ${files.html}\n(${(results.durationSec / 60).toFixed(1)} min)\n`,
  );
  return files;
}

/** `items` rotated left by `by` places. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  if (items.length === 0) return [];
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** Entries in scenario order, then mechanism order, then variant order as planned. */
function order(entries: Entry[], adapters: readonly BenchAdapter[], scenarios: readonly Scenario[]): Entry[] {
  const s = (e: Entry) => scenarios.findIndex((x) => x.name === e.scenario);
  const a = (e: Entry) => adapters.findIndex((x) => x.name === e.mechanism);
  return entries
    .map((e, i) => ({ e, i }))
    .sort((x, y) => s(x.e) - s(y.e) || a(x.e) - a(y.e) || x.i - y.i)
    .map((x) => x.e);
}
