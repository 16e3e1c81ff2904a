import { runContention } from './run-contention.ts';
import { pick, type RunSettings, type Scenario, variantOf, warmupMs } from './scenario.ts';

/** What differs between the scenarios that run workers on one key (contended, handoff, fairness). */
export interface ContentionScenarioSpec {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  rounds(settings: RunSettings): number;
  /** Measured time of each variant when `--duration` is not given. */
  readonly durationMs: { readonly quick: number; readonly full: number };
  /** Worker counts when `--workers` is not given. */
  readonly workers: readonly number[];
  /** Pause between release and the next acquire; 0 is a tight loop. */
  readonly thinkMs: number;
  /** Added to the progress estimate per worker (starting many processes takes a while). */
  readonly estimatePerWorkerMs?: number;
}

/** A scenario of workers acquiring one key in a loop with a 1 ms critical section. */
export function contentionScenario(spec: ContentionScenarioSpec): Scenario {
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    rounds: spec.rounds,
    plans(s) {
      const durationMs = s.durationMs ?? pick(s, spec.durationMs);
      return (s.workers ?? spec.workers).map((workers) => ({
        variant: variantOf('workers', workers),
        estimateMs: warmupMs(s) + durationMs + 500 + workers * (spec.estimatePerWorkerMs ?? 0),
        // Key order is the order of results.json `params.scenarioParams`.
        params: { workers, csMs: 1, thinkMs: spec.thinkMs, warmupMs: warmupMs(s), durationMs, ttlMs: 10_000 },
      }));
    },
    run(ctx, adapter, plan) {
      const p = plan.params as {
        workers: number;
        csMs: number;
        thinkMs: number;
        warmupMs: number;
        durationMs: number;
        ttlMs: number;
      };
      return runContention(ctx, adapter, p);
    },
  };
}
