import type { Lease, LockClient } from '@locksmith/core';
import { sleep } from '@locksmith/core/protocol';
import type { LedgerRead } from './safety-ledger.ts';

/** What one worker of a safety run does. */
export interface SafetyWorkerPlan {
  readonly worker: number;
  readonly increments: number;
  readonly key: string;
  readonly ttlMs: number;
  readonly autoRenew: boolean;
  readonly waitMs: number;
  readonly criticalMs: number;
}

/** The counter as a worker sees it: the ledger itself in-process, an IPC proxy in a child. */
export interface SafetyResource {
  enter(holder: string): void | Promise<void>;
  read(token: bigint): Promise<LedgerRead>;
  /** The fault point, between the read and the write of one increment. */
  step(worker: number, iteration: number, lease: Lease): void | Promise<void>;
  write(token: bigint, value: number, readVersion: number): Promise<boolean>;
  exit(holder: string): void | Promise<void>;
}

/** What a worker counted itself. */
export interface SafetyWorkerStats {
  readonly acquisitions: number;
  /** Acquires and releases that failed (timeouts, an unreachable backend). */
  readonly errors: number;
  readonly firstError?: string;
}

/**
 * One worker: `increments` times, acquire the lock, read the counter, pause at the fault point,
 * write the counter plus one, release. The write goes ahead even if `lease.signal` has aborted:
 * the worker plays a holder that did not notice in time, which is what fencing is for.
 */
export async function runSafetyWorker(
  client: LockClient,
  resource: SafetyResource,
  plan: SafetyWorkerPlan,
): Promise<SafetyWorkerStats> {
  let acquisitions = 0;
  let errors = 0;
  let firstError: string | undefined;
  const fail = (error: unknown) => {
    errors += 1;
    firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  };
  for (let iteration = 0; iteration < plan.increments; iteration += 1) {
    let lease: Lease;
    try {
      lease = await client.acquire(plan.key, {
        ttlMs: plan.ttlMs,
        autoRenew: plan.autoRenew,
        waitMs: plan.waitMs,
      });
    } catch (error) {
      fail(error);
      continue;
    }
    acquisitions += 1;
    const holder = `${plan.worker}/${iteration}`;
    await resource.enter(holder);
    try {
      const read = await resource.read(lease.token);
      if (read.ok) {
        // Always yield here, so a broken lock shows up as overlaps even with criticalMs 0.
        await sleep(plan.criticalMs);
        await resource.step(plan.worker, iteration, lease);
        await resource.write(lease.token, read.value + 1, read.version);
      }
    } finally {
      await resource.exit(holder);
      await lease.release().catch(fail);
    }
  }
  return firstError === undefined ? { acquisitions, errors } : { acquisitions, errors, firstError };
}
