import { runLatency } from './run-latency.ts';
import { pick, type Scenario, timedRounds, warmupMs } from './scenario.ts';

/** Scenario 1: one worker, its own key, acquire+release in a loop. */
export const uncontended: Scenario = {
  name: 'uncontended',
  title: 'Uncontended acquire+release',
  description:
    'One worker process acquires and releases its own key in a loop; latency of acquire+release (p50, p99, p99.9) and operations per second.',
  rounds: timedRounds,
  plans(s) {
    const durationMs = s.durationMs ?? pick(s, { quick: 600, full: 2_000 });
    return [
      {
        variant: '',
        estimateMs: warmupMs(s) + durationMs + 300,
        params: { workers: 1, keys: 1, warmupMs: warmupMs(s), durationMs, ttlMs: 10_000 },
      },
    ];
  },
  run(ctx, adapter, plan) {
    return runLatency(
      ctx,
      adapter,
      plan.params as { workers: number; keys: number; warmupMs: number; durationMs: number; ttlMs: number },
    );
  },
};
