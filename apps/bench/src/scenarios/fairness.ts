import { runContention } from './run-contention.ts';
import { pick, type Scenario, timedRounds, variantOf, warmupMs } from './scenario.ts';

/** Scenario 4: a tight loop (no think time), where an unfair lock lets the releaser win it back. */
export const fairness: Scenario = {
  name: 'fairness',
  title: 'Fairness',
  description:
    "8 worker processes on one key in a tight loop (1 ms critical section, no think time): Jain's index of acquisitions per worker (1 = equal shares), the smallest share relative to the mean, and the longest wait.",
  rounds: timedRounds,
  plans(s) {
    const durationMs = s.durationMs ?? pick(s, { quick: 800, full: 3_000 });
    return (s.workers ?? [8]).map((workers) => ({
      variant: variantOf('workers', workers),
      estimateMs: warmupMs(s) + durationMs + 500,
      params: { workers, csMs: 1, thinkMs: 0, warmupMs: warmupMs(s), durationMs, ttlMs: 10_000 },
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
