// Faults of servers (`restart`, `member`): each injection the target gives is begun while a holder
// is in its critical section and others queue, lasts its `downMs`, and is ended by the target.
import { sleep } from '@locksmith/core/protocol';
import { type FaultContext, queuedLanes, recoveryAfter, successorOf } from './fault-steps.ts';
import type { ServerInjection } from './fault-target.ts';
import type { InjectionRecord } from './fault-timeline.ts';

/**
 * Runs each injection in turn. The holder stays in its critical section through the fault and up
 * to two TTLs after it (or until another worker acquires: its lease was lost), so a loss the
 * servers caused is judged against a successor. Recovery counts from the end of the fault to the
 * successor's acquire, or, if the holder kept its lease, from when it let go to the next acquire.
 */
export async function serverFault(
  ctx: FaultContext,
  injections: readonly ServerInjection[],
): Promise<InjectionRecord[]> {
  const { run } = ctx;
  const records: InjectionRecord[] = [];
  for (const injection of injections) {
    const step = await run.nextStep(ctx.takeoverMs);
    await queuedLanes(run, 100, 2_000);
    const startMs = run.now();
    const label = (await injection.begin()) ?? injection.label;
    await sleep(injection.downMs);
    await injection.end();
    const endMs = run.now();
    const next = await successorOf(run, step.lane, startMs, 2 * ctx.ttlMs);
    step.release();
    ctx.log(`${label}: ${Math.round(endMs - startMs)} ms`);
    // Usable again: when another worker got the lock (at once if during the fault), or else the
    // first acquisition once the holder, kept inside, let go.
    const recoveryMs =
      next === undefined ? await recoveryAfter(run, run.now(), ctx.takeoverMs) : Math.max(0, next.t - endMs);
    records.push({
      label: `${label}, while worker ${step.lane} held`,
      startMs,
      endMs,
      lane: step.lane,
      recoveryMs,
      ...(next === undefined
        ? { note: `no other worker got the lock while worker ${step.lane} was kept inside` }
        : { note: `worker ${next.lane} got the lock ${Math.round(next.t - startMs)} ms in` }),
    });
  }
  return records;
}
