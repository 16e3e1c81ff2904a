import { countsCommands } from '../adapters/adapter.ts';
import { round } from '../histogram.ts';
import type { CounterSnapshot } from '../server-counters.ts';
import { counterDelta } from '../server-counters.ts';
import { assign, failed, pick, type Scenario, variantOf } from './scenario.ts';

/** Scenario 6: many leases held at once by one client and kept alive. */
export const heldLeases: Scenario = {
  name: 'held-leases',
  title: 'Held leases',
  description:
    "One worker process takes N leases on N keys and keeps them alive for a window of several TTLs: the process's CPU (% of one core), its memory growth, the client's round trips (socket writes; a pipeline is one) and commands sent, and the server's commands (including those run inside scripts), per TTL. One round: the window spans several renewal periods.",
  plans(s) {
    const ttlMs = pick(s, { quick: 1_000, full: 3_000 });
    // At least two TTLs, so every lease is renewed at least twice whatever --duration says.
    const windowMs = Math.max(2 * ttlMs, s.durationMs ?? pick(s, { quick: 2_000, full: 6_000 }));
    return pick(s, { quick: [1_000], full: [1_000, 10_000] }).map((count) => ({
      variant: variantOf('leases', count),
      estimateMs: windowMs + count * 0.5 + 1_000,
      params: { leases: count, ttlMs, windowMs },
    }));
  },
  async run(ctx, adapter, plan) {
    const p = plan.params as { leases: number; ttlMs: number; windowMs: number };
    const counters = ctx.countersFor(adapter);
    let before: CounterSnapshot | undefined;
    let delta: CounterSnapshot | undefined;
    await ctx.pool.recycle(0);
    const [outcome] = await ctx.pool.run(
      assign(adapter, ctx, 1, 'hold-many', { ttlMs: p.ttlMs, count: p.leases, windowMs: p.windowMs }, 5_000),
      async (call) => {
        if (counters === undefined) return;
        if (call.name === 'holding') before = await counters.snapshot();
        if (call.name === 'measured' && before !== undefined)
          delta = counterDelta(before, await counters.snapshot(), counters.servers);
      },
      p.windowMs + p.leases * 20 + 60_000,
    );
    if (outcome === undefined || !outcome.ok)
      return failed(outcome?.ok === false ? outcome.error : 'no result');
    const r = outcome.results[0]!;
    const windowMs = r.windowNs! / 1e6;
    const ttls = windowMs / p.ttlMs;
    const short = r.held! < p.leases ? `held ${r.held} of ${p.leases} leases` : null;
    return {
      status: 'ok',
      reason:
        r.errors > 0
          ? [short, `${r.errors} errors, first: ${r.firstError}`].filter(Boolean).join('; ')
          : short,
      metrics: {
        leases: r.held!,
        ttlMs: p.ttlMs,
        cpuPercent: round((r.cpuMicros! / 1e3 / windowMs) * 100, 2),
        rssBytes: r.rssBytes!,
        heapBytesPerLease: r.held! > 0 ? round(r.heapBytes! / r.held!, 0) : null,
        roundTripsPerTtl: !countsCommands(adapter) ? null : round(r.writes! / ttls, 1),
        commandsSentPerTtl: !countsCommands(adapter) ? null : round(r.commandsSent! / ttls, 1),
        commandsPerTtl: delta === undefined ? null : round(delta.commands / ttls, 1),
        lost: r.lost!,
        acquireAllMs: round(r.acquireAllNs! / 1e6, 1),
        errors: r.errors,
      },
      curve: null,
    };
  },
};
