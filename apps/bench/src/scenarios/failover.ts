import { sinceNs } from '../clock.ts';
import { round } from '../histogram.ts';
import type { SyncCall } from '../pool.ts';
import { median } from '../stats.ts';
import {
  assign,
  failed,
  type Measured,
  type Plan,
  pick,
  type Scenario,
  type ScenarioContext,
} from './scenario.ts';

/** How long the candidate is surely waiting before the leader fails. */
const SETTLE_MS = 200;

type Fault = 'kill' | 'pause';

/**
 * Leader election under the two ways a leader fails: its process is killed (SIGKILL), or paused
 * (SIGSTOP) past its TTL and then resumed. Killed: the time until a new leader leads. Paused: that
 * time, and how long after its resume the old leader still believed it led (0–1 ms: it read its
 * own deadline and knew before the new term began; more: a stale leader acted in the new term).
 */
export const failover: Scenario = {
  name: 'failover',
  title: 'Leader failover',
  description:
    'A worker process leads an election while another campaigns; the leader is killed (SIGKILL), or paused (SIGSTOP) past its TTL and resumed after the new leader was elected. electedMs: from the fault to the new leader; staleAfterResumeMs (pause): from the old leader’s first look after its resume to its reading “lost” (0 means it knew at its first look; more is a window in which two processes each believe they lead).',
  plans(s) {
    const ttlMs = pick(s, { quick: 1_000, full: 2_000 });
    const trials = pick(s, { quick: 1, full: 3 });
    return (['kill', 'pause'] as const).map(
      (fault): Plan => ({
        variant: `fault=${fault}`,
        estimateMs: trials * (ttlMs * 2 + SETTLE_MS + 2_000),
        params: { ttlMs, trials, pause: fault === 'pause' ? 1 : 0 },
      }),
    );
  },
  skipReason(adapter) {
    if (adapter.elects !== true) return 'no leader election in this mechanism';
    if (adapter.scope === 'process') return 'the election lives in the leader’s process';
    return undefined;
  },
  async run(ctx, adapter, plan) {
    const { ttlMs, trials, pause } = plan.params as { ttlMs: number; trials: number; pause: number };
    const fault: Fault = pause === 1 ? 'pause' : 'kill';
    const elected: number[] = [];
    const stale: number[] = [];
    for (let t = 0; t < trials; t++) {
      // One retry: a server restarted by someone else must not cost the whole row.
      let result = await trial(ctx, adapter, ttlMs, fault);
      if (!('electedMs' in result)) result = await trial(ctx, adapter, ttlMs, fault);
      if (!('electedMs' in result)) return result;
      elected.push(result.electedMs);
      if (result.staleMs !== undefined) stale.push(result.staleMs);
    }
    return {
      status: 'ok',
      reason: null,
      metrics: {
        electedMs: round(median(elected), 1),
        electedMaxMs: round(Math.max(...elected), 1),
        staleAfterResumeMs: stale.length > 0 ? round(median(stale), 1) : null,
        staleAfterResumeMaxMs: stale.length > 0 ? round(Math.max(...stale), 1) : null,
        ttlMs,
        trials,
      },
      curve: null,
    };
  },
};

interface TrialResult {
  readonly electedMs: number;
  readonly staleMs?: number;
}

async function trial(
  ctx: ScenarioContext,
  adapter: Parameters<Scenario['run']>[1],
  ttlMs: number,
  fault: Fault,
): Promise<TrialResult | Measured> {
  const name = `failover:${fault}:${process.pid}:${Date.now()}`;
  let markLeading: () => void = () => {};
  const leading = new Promise<void>((resolve) => {
    markLeading = resolve;
  });
  let failedAt: number | undefined;
  const [leaderTask] = assign(
    adapter,
    ctx,
    1,
    'lead-one',
    { ttlMs, name, watch: fault === 'pause' ? 1 : 0 },
    0,
  );
  const [candidateTask] = assign(
    adapter,
    ctx,
    1,
    'campaign-one',
    { ttlMs, name, timeoutMs: ttlMs * 4 + 10_000 },
    0,
  );
  const timeoutMs = ttlMs * 6 + 30_000;
  const onSync = async (call: SyncCall) => {
    if (call.name === 'leading') markLeading();
    if (call.name === 'ready') await leading;
    if (call.name === 'waiting') {
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      failedAt = sinceNs(ctx.epoch);
      if (fault === 'kill') ctx.pool.kill(0);
      else ctx.pool.pause(0, true);
    }
  };
  await ctx.pool.ensure(2);
  const leader = ctx.pool.run([leaderTask!], onSync, timeoutMs);
  const [candidate] = await ctx.pool.run([{ ...candidateTask!, slot: 1 }], onSync, timeoutMs);
  if (fault === 'pause') ctx.pool.pause(0, false);
  else ctx.pool.kill(0); // already dead unless the trial failed
  const [led] = await leader;
  if (candidate === undefined || !candidate.ok)
    return failed(candidate?.ok === false ? `candidate: ${candidate.error}` : 'no result');
  if (failedAt === undefined) return failed('the leader never failed');
  const electedMs = (candidate.results[0]!.acquiredAt! - failedAt) / 1e6;
  if (fault === 'kill') return { electedMs };
  if (led === undefined || !led.ok)
    return failed(led?.ok === false ? `old leader: ${led.error}` : 'no result');
  // From the old leader's own first look after its resume (its clock) to its reading "lost".
  const { lostAt, acquiredAt: resumedAt } = led.results[0]!;
  return { electedMs, staleMs: Math.max(0, (lostAt! - (resumedAt ?? lostAt!)) / 1e6) };
}
