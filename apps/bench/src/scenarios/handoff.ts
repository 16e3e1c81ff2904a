import { runContention } from './run-contention.ts';
import { pick, type Scenario, timedRounds, variantOf, warmupMs } from './scenario.ts';

/** Scenario 3: release-to-next-acquire across processes; the case of issue 4 (8 workers, 1 ms + 1 ms). */
export const handoff: Scenario = {
  name: 'handoff',
  title: 'Hand-off latency',
  description:
    '8 worker processes on one key, 1 ms critical section, 1 ms think time: time from the holder calling release to a waiting worker holding the lock (p50/p99), with acquire-wait p99, commands per acquisition and throughput.',
  rounds: timedRounds,
  plans(s) {
    const durationMs = s.durationMs ?? pick(s, { quick: 1200, full: 3_500 });
    return (s.workers ?? [8]).map((workers) => ({
      variant: variantOf('workers', workers),
      estimateMs: warmupMs(s) + durationMs + 500,
      params: { workers, csMs: 1, thinkMs: 1, warmupMs: warmupMs(s), durationMs, ttlMs: 10_000 },
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
