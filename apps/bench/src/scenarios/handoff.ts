import { contentionScenario } from './contention-scenario.ts';
import { timedRounds } from './scenario.ts';

/** Scenario 3: release-to-next-acquire across processes; the case of issue 4 (8 workers, 1 ms + 1 ms). */
export const handoff = contentionScenario({
  name: 'handoff',
  title: 'Hand-off latency',
  description:
    '8 workers (a process each; in-process locks: one process) on one key, 1 ms critical section, 1 ms think time: time from the holder calling release to a waiting worker holding the lock (p50/p99), with acquire-wait p99, commands per acquisition and throughput.',
  rounds: timedRounds,
  durationMs: { quick: 800, full: 2_000 },
  workers: [8],
  thinkMs: 1,
});
