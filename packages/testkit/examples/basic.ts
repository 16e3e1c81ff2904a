import type { LockClient } from '@locksmith/core';
import { checkSafety } from '@locksmith/testkit';

/**
 * Runs the safety checker over a backend's client factory: 4 workers × 25 fenced increments of one
 * counter through the lock, once with holders that dawdle past their read. Returns what it saw.
 */
export async function main(createClient: () => LockClient | Promise<LockClient>): Promise<string> {
  const report = await checkSafety({ createClient, workers: 4, increments: 25, criticalMs: 1 });
  return [
    `counter ${report.counter}/${report.acquisitions}`,
    `overlaps ${report.overlaps}`,
    `lost ${report.incrementsLost}`,
    `stale writes accepted ${report.staleWritesAccepted}`,
  ].join(', ');
}
