import { sinceNs } from '../clock.ts';
import { round } from '../histogram.ts';
import type { SyncCall } from '../pool.ts';
import { median } from '../stats.ts';
import { assign, failed, type Measured, pick, type Scenario } from './scenario.ts';

/** How long the waiter is surely waiting before the holder is killed. */
const SETTLE_MS = 200;

/** Scenario 7: SIGKILL the holder's process; time until a waiting worker holds the lock. */
export const recovery: Scenario = {
  name: 'recovery',
  title: 'Recovery after the holder is killed',
  description:
    "A worker process holds the key (lease kept alive) while another waits for it; the holder gets SIGKILL. Time from the kill to the waiter holding the lock: the mechanism's TTL, session timeout or connection drop.",
  plans(s) {
    const ttlMs = pick(s, { quick: 1_000, full: 2_000 });
    const trials = pick(s, { quick: 1, full: 3 });
    return [{ variant: '', estimateMs: trials * (ttlMs + SETTLE_MS + 1_500), params: { ttlMs, trials } }];
  },
  skipReason(adapter) {
    if (adapter.scope === 'process')
      return 'the lock lives in the holder’s process: killing it ends the lock with it';
    if (adapter.noLease === true) return 'no lease: a killed holder’s lock is never freed';
    return undefined;
  },
  async run(ctx, adapter, plan) {
    const { ttlMs, trials } = plan.params as { ttlMs: number; trials: number };
    const times: number[] = [];
    for (let t = 0; t < trials; t++) {
      // One retry: a server restarted by someone else must not cost the whole row.
      let result = await trial(ctx, adapter, ttlMs);
      if (typeof result !== 'number') result = await trial(ctx, adapter, ttlMs);
      if (typeof result !== 'number') return result;
      times.push(result);
    }
    return {
      status: 'ok',
      reason: null,
      metrics: {
        recoveryMs: round(median(times), 1),
        recoveryMaxMs: round(Math.max(...times), 1),
        ttlMs,
        trials,
      },
      curve: null,
    };
  },
};

async function trial(
  ctx: Parameters<Scenario['run']>[0],
  adapter: Parameters<Scenario['run']>[1],
  ttlMs: number,
): Promise<number | Measured> {
  let markHeld: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    markHeld = resolve;
  });
  let killedAt: number | undefined;
  const [holderTask] = assign(adapter, ctx, 1, 'hold-one', { ttlMs }, 0);
  const [waiterTask] = assign(adapter, ctx, 1, 'wait-one', { ttlMs, timeoutMs: ttlMs * 3 + 5_000 }, 0);
  const timeoutMs = ttlMs * 4 + 30_000;
  const onSync = async (call: SyncCall) => {
    if (call.name === 'held') markHeld();
    if (call.name === 'ready') await held;
    if (call.name === 'waiting') {
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      killedAt = sinceNs(ctx.epoch);
      ctx.pool.kill(0);
    }
  };
  await ctx.pool.ensure(2);
  // Two runs, so a waiter that fails early does not wait for a holder that never ends.
  const holding = ctx.pool.run([holderTask!], onSync, timeoutMs);
  const [waiter] = await ctx.pool.run([{ ...waiterTask!, slot: 1 }], onSync, timeoutMs);
  ctx.pool.kill(0); // already dead unless the trial failed
  await holding;
  if (waiter === undefined || !waiter.ok)
    return failed(waiter?.ok === false ? `waiter: ${waiter.error}` : 'no result');
  if (killedAt === undefined) return failed('the holder was never killed');
  return (waiter.results[0]!.acquiredAt! - killedAt) / 1e6;
}
