import type { Outcome, SyncCall, TaskRunner } from './pool.ts';
import { executeTask } from './worker/executor.ts';
import type { TaskSpec } from './worker/protocol.ts';

/**
 * Runs every task in this process (all logical workers share one event loop, each with its own
 * connection). Only for profiling: a profiler sees one process, and killing a holder is not possible.
 */
export class InProcessRunner implements TaskRunner {
  async ensure(): Promise<void> {}

  run(
    assignments: readonly { readonly slot: number; readonly task: TaskSpec }[],
    onSync: (call: SyncCall) => unknown,
  ): Promise<Outcome[]> {
    return Promise.all(
      assignments.map(({ slot, task }) =>
        executeTask(task, async (worker, name, data) => onSync({ slot, worker, name, data })).then(
          (results): Outcome => ({ ok: true, results }),
          (error: unknown): Outcome => ({
            ok: false,
            error: error instanceof Error ? error.message : String(error),
          }),
        ),
      ),
    );
  }

  kill(): void {
    throw new Error('the in-process runner cannot kill a worker (profile another scenario than recovery)');
  }

  pause(): void {
    throw new Error('the in-process runner cannot pause a worker (profile another scenario than failover)');
  }

  async recycle(): Promise<void> {}

  async close(): Promise<void> {}
}
