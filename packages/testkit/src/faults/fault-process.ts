// Faults of one worker process: paused past its TTL (SIGSTOP, SIGCONT), killed while holding and
// while queued (SIGKILL).
import { sleep } from '@locksmith/core/protocol';
import {
  type FaultContext,
  queuedLanes,
  recoveryAfter,
  recoveryOf,
  successorOf,
  successorWrote,
} from './fault-steps.ts';
import type { InjectionRecord } from './fault-timeline.ts';

/**
 * A holder, between its read and its write, is frozen with SIGSTOP until another worker has
 * acquired the lock and written (or `takeoverMs` passed), then continued: it writes with its old
 * token, which the fence must reject, and its lease must read lost at its first look.
 */
export async function pauseFault(ctx: FaultContext): Promise<InjectionRecord[]> {
  const { run } = ctx;
  const records: InjectionRecord[] = [];
  for (let i = 0; i < (ctx.quick ? 1 : 2); i += 1) {
    const step = await run.nextStep(ctx.takeoverMs);
    const startMs = run.now();
    run.signal(step.lane, 'SIGSTOP');
    const next = await successorOf(run, step.lane, startMs, ctx.takeoverMs);
    if (next !== undefined) await successorWrote(run, next, ctx.takeoverMs);
    run.signal(step.lane, 'SIGCONT');
    const endMs = run.now();
    step.release();
    ctx.log(`worker ${step.lane} paused ${Math.round(endMs - startMs)} ms`);
    records.push({
      label: `worker ${step.lane} paused (SIGSTOP) while holding, then continued`,
      startMs,
      endMs,
      lane: step.lane,
      recoveryMs: await recoveryOf(run, next, endMs, ctx.takeoverMs),
      ...(next === undefined
        ? { note: `no other worker got the lock during ${Math.round(endMs - startMs)} ms of pause` }
        : {}),
    });
  }
  return records;
}

/**
 * A holder is killed (SIGKILL) between its read and its write; later a worker queued behind a
 * holder is killed. A replacement worker joins after each kill, so contention stays the same.
 * Recovery: from the kill to the next acquisition (the dead holder's lease must end), and from
 * the live holder's release to the next one (a dead waiter must not block the queue).
 */
export async function killFault(ctx: FaultContext): Promise<InjectionRecord[]> {
  const { run } = ctx;
  const holder = await run.nextStep(ctx.takeoverMs);
  const killedAt = run.now();
  await run.kill(holder.lane);
  void run.addWorker(); // joins when ready; the run goes on meanwhile
  const records: InjectionRecord[] = [
    {
      label: `worker ${holder.lane} killed (SIGKILL) while holding`,
      startMs: killedAt,
      endMs: killedAt,
      lane: holder.lane,
      recoveryMs: await recoveryAfter(run, killedAt, ctx.takeoverMs),
    },
  ];
  ctx.log(`holder ${holder.lane} killed`);

  // A worker queued behind a holder: the holder is kept at its step until one has waited a while.
  let step = await run.nextStep(ctx.takeoverMs);
  let [victim] = await queuedLanes(run, Math.min(ctx.ttlMs, 300), ctx.takeoverMs);
  for (let tries = 1; victim === undefined && tries < 3; tries += 1) {
    step.release();
    step = await run.nextStep(ctx.takeoverMs);
    [victim] = await queuedLanes(run, Math.min(ctx.ttlMs, 300), ctx.takeoverMs);
  }
  if (victim === undefined)
    throw new Error('no worker queued behind a holder: the queued kill could not be injected');
  const startMs = run.now();
  await run.kill(victim);
  void run.addWorker();
  await sleep(50);
  step.release();
  const endMs = run.now();
  ctx.log(`queued worker ${victim} killed`);
  records.push({
    label: `worker ${victim} killed (SIGKILL) while queued behind worker ${step.lane}`,
    startMs,
    endMs,
    lane: victim,
    recoveryMs: await recoveryAfter(run, endMs, ctx.takeoverMs),
  });
  return records;
}
