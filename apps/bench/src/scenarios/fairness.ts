import { contentionScenario } from './contention-scenario.ts';
import { timedRounds } from './scenario.ts';

/** Scenario 4: a tight loop (no think time), where an unfair lock lets the releaser win it back. */
export const fairness = contentionScenario({
  name: 'fairness',
  title: 'Fairness',
  description:
    "8 workers (a process each; in-process locks: one process) on one key in a tight loop (1 ms critical section, no think time): Jain's index of acquisitions per worker (1 = equal shares), the smallest share relative to the mean, and the longest wait.",
  rounds: timedRounds,
  durationMs: { quick: 600, full: 1_500 },
  workers: [8],
  thinkMs: 0,
});
