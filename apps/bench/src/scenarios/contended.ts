import { contentionScenario } from './contention-scenario.ts';
import { timedRounds } from './scenario.ts';

/** Scenario 2: 1, 4, 16 and 64 workers on one key, 1 ms critical section, 1 ms think time. */
export const contended = contentionScenario({
  name: 'contended',
  title: 'Contended throughput',
  description:
    'N workers (a process and connection each; the in-process locks run them in one process) on one key: acquire, hold 1 ms, release, think 1 ms. Acquisitions per second, acquire-wait p50/p99/max, server commands per acquisition (Redis INFO commandstats, which also counts the commands a Lua script runs: an uncontended SET NX PX plus a compare-and-delete script is 4), beside the commands the clients sent and their socket writes (≈ round trips); waits from the intended start, those never granted as lower bounds.',
  rounds: timedRounds,
  durationMs: { quick: 400, full: 800 },
  workers: [1, 4, 16, 64],
  thinkMs: 1,
  estimatePerWorkerMs: 10,
});
