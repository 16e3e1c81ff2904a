// Network faults through private toxiproxy proxies (one per worker and endpoint): latency with
// jitter between every worker and the servers; a stall, then a cut, between one holder and them.
import { sleep } from '@locksmith/core/protocol';
import { type FaultContext, recoveryAfter, recoveryOf, successorOf, successorWrote } from './fault-steps.ts';
import type { InjectionRecord } from './fault-timeline.ts';
import type { PrivateProxies } from './toxiproxy.ts';

/** The proxies of a network run, by worker lane. */
export interface LaneProxies {
  readonly proxies: PrivateProxies;
  readonly byLane: ReadonlyMap<number, readonly string[]>;
}

/**
 * Latency with jitter on every worker's connections (each way: 25 ± 15 ms quick, 100 ± 60 ms
 * otherwise) for a few TTLs, then removed. Renewals must ride through it, or leases be lost loudly.
 */
export async function latencyFault(ctx: FaultContext, net: LaneProxies): Promise<InjectionRecord[]> {
  const { run } = ctx;
  await run.waitFor((e) => e.type === 'acquired', ctx.takeoverMs, 0);
  const [ms, jitterMs] = ctx.quick ? [25, 15] : [100, 60];
  const names = [...net.byLane.values()].flat();
  const startMs = run.now();
  await net.proxies.latency(names, ms, jitterMs);
  await sleep(Math.max(3 * ctx.ttlMs, ctx.quick ? 2_000 : 8_000));
  await net.proxies.heal(names);
  const endMs = run.now();
  ctx.log(`latency ${ms} ± ${jitterMs} ms each way for ${Math.round(endMs - startMs)} ms`);
  return [
    {
      label: `latency ${ms} ± ${jitterMs} ms each way between every worker and the servers`,
      startMs,
      endMs,
      recoveryMs: await recoveryAfter(run, endMs, ctx.takeoverMs),
    },
  ];
}

/**
 * One holder, between its read and its write, loses the network: first a stall (nothing passes
 * either way, connections stay open; healed, the held-back bytes arrive in order, as TCP
 * retransmission would deliver them), then a cut (connections closed, new ones refused). Each
 * lasts until another worker has acquired and written (or `takeoverMs`), then heals.
 */
export async function cutFault(ctx: FaultContext, net: LaneProxies): Promise<InjectionRecord[]> {
  const { run } = ctx;
  const records: InjectionRecord[] = [];
  const kinds = [
    { kind: 'stall', apply: (names: readonly string[]) => net.proxies.stall(names) },
    { kind: 'cut', apply: (names: readonly string[]) => net.proxies.cut(names) },
  ] as const;
  for (const { kind, apply } of kinds) {
    const step = await run.nextStep(ctx.takeoverMs);
    const names = net.byLane.get(step.lane) ?? [];
    const startMs = run.now();
    await apply(names);
    const next = await successorOf(run, step.lane, startMs, ctx.takeoverMs);
    if (next !== undefined) await successorWrote(run, next, ctx.takeoverMs);
    await net.proxies.heal(names);
    const endMs = run.now();
    step.release();
    ctx.log(`worker ${step.lane}: network ${kind} for ${Math.round(endMs - startMs)} ms`);
    records.push({
      label:
        kind === 'stall'
          ? `worker ${step.lane}'s network stalled while holding (nothing passes), then healed`
          : `worker ${step.lane}'s connections cut while holding (closed, refused), then healed`,
      startMs,
      endMs,
      lane: step.lane,
      recoveryMs: await recoveryOf(run, next, endMs, ctx.takeoverMs),
      ...(next === undefined ? { note: 'no other worker got the lock during the fault' } : {}),
    });
  }
  return records;
}
