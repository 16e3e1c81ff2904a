import { runLatency } from './run-latency.ts';
import { pick, type Scenario, timedRounds, variantOf, warmupMs } from './scenario.ts';

/** Scenario 5: workers on 1,000 independent keys. */
export const manyKeys: Scenario = {
  name: 'many-keys',
  title: 'Many keys',
  description:
    '8 workers (a process each; in-process locks: one process), each acquiring and releasing a random one of 1,000 keys in a loop: total operations per second and acquire+release latency.',
  rounds: timedRounds,
  plans(s) {
    const durationMs = s.durationMs ?? pick(s, { quick: 500, full: 1_500 });
    return (s.workers ?? [8]).map((workers) => ({
      variant: variantOf('workers', workers),
      estimateMs: warmupMs(s) + durationMs + 500,
      params: { workers, keys: 1_000, warmupMs: warmupMs(s), durationMs, ttlMs: 10_000 },
    }));
  },
  async run(ctx, adapter, plan) {
    const p = plan.params as {
      workers: number;
      keys: number;
      warmupMs: number;
      durationMs: number;
      ttlMs: number;
    };
    const measured = await runLatency(ctx, adapter, p);
    return { ...measured, metrics: { ...measured.metrics, keys: p.keys } };
  },
};
