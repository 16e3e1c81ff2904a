import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, type Lease, type LockClient } from '@locksmith/core';
import {
  validateBoolean,
  validateInteger,
  validateKey,
  validateOptionsObject,
} from '@locksmith/core/protocol';
import { memoryFence } from '@locksmith/fencing';
import { type LedgerCounts, type SafetyFence, SafetyLedger } from './safety-ledger.ts';
import { runSafetyWorker, type SafetyWorkerPlan, type SafetyWorkerStats } from './safety-worker-loop.ts';
import { scaled } from './time-scale.ts';

/** Where a fault can strike: one holder between its read and its write of the counter. */
export interface SafetyStep {
  /** The worker's index, from 0. */
  readonly worker: number;
  /** The worker's increment, from 0. */
  readonly iteration: number;
  /** The fencing token of the holder's lease. */
  readonly token: bigint;
  /** The holder's lease ({@link checkSafety} only). */
  readonly lease?: Lease;
  /** The worker's process ({@link checkSafetyAcrossProcesses} only), e.g. to `SIGSTOP` it past its TTL. */
  readonly child?: import('node:child_process').ChildProcess;
}

/** Options shared by {@link checkSafety} and {@link checkSafetyAcrossProcesses}. */
export interface SafetyCommonOptions {
  /** Workers, each with its own client. Integer 1–1000. */
  readonly workers: number;
  /** Increments per worker. Integer 1–1_000_000. */
  readonly increments: number;
  /** @defaultValue a random `locksmith-safety/<uuid>` */
  readonly key?: string;
  /** @defaultValue 10_000 */
  readonly ttlMs?: number;
  /** `false` lets a paused holder's lease expire, which a fault needs to test fencing. @defaultValue true */
  readonly autoRenew?: boolean;
  /** Each acquire's `waitMs`; a timeout counts in `errors`. @defaultValue `scaled(60_000)` */
  readonly waitMs?: number;
  /** Time each holder spends between its read and its write. @defaultValue 0 (still yields once) */
  readonly criticalMs?: number;
  /**
   * Called at every step between a holder's read and its write, and awaited: pause the holder
   * (`sleep` past the TTL with `autoRenew: false`), restart a server, cut a proxy…
   */
  readonly fault?: (step: SafetyStep) => void | Promise<void>;
  /**
   * The fence every read and write of the counter passes; `false` runs unfenced, to show what the
   * fence prevents. @defaultValue `memoryFence()` from `@locksmith/fencing`
   */
  readonly fence?: SafetyFence | false;
}

/** Options of {@link checkSafety}. */
export interface SafetyOptions extends SafetyCommonOptions {
  /** Builds worker `worker`'s client; {@link checkSafety} closes it at the end. */
  readonly createClient: (worker: number) => LockClient | Promise<LockClient>;
}

/** What a safety run saw. With a correct lock and no faults: `incrementsLost`, `overlaps` and every stale count are 0. */
export interface SafetyReport extends LedgerCounts {
  /** Successful acquires over all workers. */
  readonly acquisitions: number;
  /** Acquires or releases that failed (timeouts, an unreachable backend). */
  readonly errors: number;
  /** The first such failure, for the test's message. */
  readonly firstError?: string;
}

/** Resolved common options. */
export interface ResolvedSafetyOptions {
  readonly workers: number;
  readonly plan: Omit<SafetyWorkerPlan, 'worker'>;
  readonly fence: SafetyFence | undefined;
  readonly fault: SafetyCommonOptions['fault'];
}

const COMMON = [
  'workers',
  'increments',
  'key',
  'ttlMs',
  'autoRenew',
  'waitMs',
  'criticalMs',
  'fault',
  'fence',
] as const;
const MAX_MS = 2_147_483_647;

/**
 * Checks the options shared by both checkers (`extra` names the caller's own options).
 * @throws InvalidArgumentError naming the option.
 */
export function resolveSafetyOptions(options: unknown, extra: readonly string[]): ResolvedSafetyOptions {
  const allowed = [...COMMON, ...extra] as (keyof SafetyCommonOptions)[];
  const o = validateOptionsObject<SafetyCommonOptions>('options', options, allowed);
  const workers = validateInteger('options.workers', o.workers, { min: 1, max: 1000 });
  const increments = validateInteger('options.increments', o.increments, { min: 1, max: 1_000_000 });
  if (o.fault !== undefined && typeof o.fault !== 'function') {
    throw new InvalidArgumentError('options.fault', `must be a function (got ${typeof o.fault})`);
  }
  const fence = o.fence ?? memoryFence();
  if (
    fence !== false &&
    (typeof fence !== 'object' || fence === null || typeof fence.accept !== 'function')
  ) {
    throw new InvalidArgumentError('options.fence', 'must be a fence with accept(resource, token), or false');
  }
  return {
    workers,
    plan: {
      increments,
      key: o.key === undefined ? `locksmith-safety/${randomUUID()}` : validateKey(o.key, 'options.key'),
      ttlMs:
        o.ttlMs === undefined ? 10_000 : validateInteger('options.ttlMs', o.ttlMs, { min: 1, max: MAX_MS }),
      autoRenew: o.autoRenew === undefined ? true : validateBoolean('options.autoRenew', o.autoRenew),
      waitMs:
        o.waitMs === undefined
          ? scaled(60_000)
          : validateInteger('options.waitMs', o.waitMs, { min: 0, max: MAX_MS, allowInfinity: true }),
      criticalMs:
        o.criticalMs === undefined
          ? 0
          : validateInteger('options.criticalMs', o.criticalMs, { min: 0, max: MAX_MS }),
    },
    fence: fence === false ? undefined : fence,
    fault: o.fault,
  };
}

/** Sums the workers' own counts into a report. */
export function safetyReport(counts: LedgerCounts, stats: readonly SafetyWorkerStats[]): SafetyReport {
  const firstError = stats.find((s) => s.firstError !== undefined)?.firstError;
  const report = {
    ...counts,
    acquisitions: stats.reduce((sum, s) => sum + s.acquisitions, 0),
    errors: stats.reduce((sum, s) => sum + s.errors, 0),
  };
  return firstError === undefined ? report : { ...report, firstError };
}

/**
 * The mutual-exclusion safety checker, in one process: `workers` clients each do `increments`
 * read-modify-write increments of one counter under the lock, every read and write fenced by
 * `lease.token`. Overlaps are measured at the exact points where holders enter and leave.
 *
 * A correct lock without faults gives `counter === workers * increments` and zero `overlaps`,
 * `incrementsLost` and stale counts. With a fault that pauses holders past their TTL, overlaps
 * are expected and fencing must keep `staleWritesAccepted` and `incrementsLost` at zero.
 *
 * @example
 * const report = await checkSafety({ createClient: () => memoryLocks(), workers: 4, increments: 50 });
 * expect(report.overlaps).toBe(0);
 * @throws InvalidArgumentError on a bad option, before any client is made.
 */
export async function checkSafety(options: SafetyOptions): Promise<SafetyReport> {
  const resolved = resolveSafetyOptions(options, ['createClient']);
  if (typeof options.createClient !== 'function') {
    throw new InvalidArgumentError(
      'options.createClient',
      `must be a function (got ${typeof options.createClient})`,
    );
  }
  const { plan, fault } = resolved;
  const ledger = new SafetyLedger(plan.key, resolved.fence);
  const clients: LockClient[] = [];
  try {
    for (let worker = 0; worker < resolved.workers; worker += 1)
      clients.push(await options.createClient(worker));
    const stats = await Promise.all(
      clients.map((client, worker) =>
        runSafetyWorker(
          client,
          {
            enter: (holder) => void ledger.enter(holder),
            exit: (holder) => ledger.exit(holder),
            read: (token) => ledger.read(token),
            write: (token, value, version) => ledger.write(token, value, version),
            step: async (_worker, iteration, lease) => {
              await fault?.({ worker, iteration, token: lease.token, lease });
            },
          },
          { ...plan, worker },
        ),
      ),
    );
    return safetyReport(ledger.counts(), stats);
  } finally {
    await Promise.allSettled(clients.map((client) => client.close()));
  }
}
