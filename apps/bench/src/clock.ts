/**
 * Monotonic time shared by every process of the machine. `process.hrtime.bigint()` reads
 * CLOCK_MONOTONIC on Linux, which is system-wide, so a release stamped in one worker and an
 * acquire stamped in another can be subtracted. (`performance.now()` is relative to each
 * process's own start and cannot.)
 */
export function monotonicNs(): bigint {
  return process.hrtime.bigint();
}

/** Nanoseconds since `epoch` as a plain number (exact for 104 days, enough for any run). */
export function sinceNs(epoch: bigint): number {
  return Number(process.hrtime.bigint() - epoch);
}

/** Resolves after `ms` (fractions allowed; Node rounds timers up to whole milliseconds). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `sinceNs(epoch) >= atNs`. */
export async function waitUntilNs(epoch: bigint, atNs: number): Promise<void> {
  const left = atNs - sinceNs(epoch);
  if (left > 0) await delay(left / 1e6);
  // A timer may fire a little early on some platforms; finish the last sub-millisecond by yielding.
  while (sinceNs(epoch) < atNs) await new Promise<void>((resolve) => setImmediate(resolve));
}

export const NS_PER_MS = 1e6;
export const NS_PER_US = 1e3;
