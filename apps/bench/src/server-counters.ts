import type { Redis } from 'ioredis';
import type { BenchEnv, Requirement } from './adapters/adapter.ts';
import { connectAll, quitAll } from './adapters/redis-connect.ts';

/** Commands the bench or client libraries send outside of locking (connection set-up, our INFO). */
const NOT_LOCKING = new Set([
  'info',
  'ping',
  'client',
  'hello',
  'select',
  'config',
  'quit',
  'command',
  'auth',
]);

/** Totals read from the servers of one mechanism at one moment. */
export interface CounterSnapshot {
  /** Commands processed, summed over `INFO commandstats` minus {@link NOT_LOCKING}. */
  readonly commands: number;
  /** `total_reads_processed`: socket reads, about one per round trip (a pipeline arrives in one). */
  readonly reads: number;
}

/** Sums the `calls` of `INFO commandstats`, leaving out commands that are not about locking. */
export function parseCommandCalls(info: string): number {
  let total = 0;
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    const name = match[1]!.split('|')[0]!.toLowerCase();
    if (!NOT_LOCKING.has(name)) total += Number(match[2]);
  }
  return total;
}

/** Reads a numeric field (`total_reads_processed:123`) from INFO text; 0 when absent. */
export function parseInfoField(info: string, field: string): number {
  const match = new RegExp(`^${field}:(\\d+)`, 'm').exec(info);
  return match === null ? 0 : Number(match[1]);
}

/** The difference between two snapshots, less the one read our own second INFO caused per server. */
export function counterDelta(
  before: CounterSnapshot,
  after: CounterSnapshot,
  servers: number,
): CounterSnapshot {
  return {
    commands: after.commands - before.commands,
    reads: Math.max(0, after.reads - before.reads - servers),
  };
}

/**
 * The server's own counters for the servers a mechanism uses, read over a separate admin
 * connection per server. Another client of the same servers during a run would inflate them; the
 * bench uses the launcher's servers, keyed per run.
 */
export class ServerCounters {
  private constructor(private readonly clients: readonly Redis[]) {}

  static async open(urls: readonly string[]): Promise<ServerCounters> {
    return new ServerCounters(await connectAll(urls));
  }

  get servers(): number {
    return this.clients.length;
  }

  async snapshot(): Promise<CounterSnapshot> {
    const infos = await Promise.all(this.clients.map((c) => c.info('commandstats', 'stats')));
    return {
      commands: infos.reduce((sum, info) => sum + parseCommandCalls(info), 0),
      reads: infos.reduce((sum, info) => sum + parseInfoField(info, 'total_reads_processed'), 0),
    };
  }

  close(): Promise<void> {
    return quitAll(this.clients);
  }
}

/** Server URLs whose counters measure a mechanism with these requirements. */
export function counterUrls(requires: readonly Requirement[], env: BenchEnv): string[] {
  const urls: string[] = [];
  if (requires.includes('redis') && env.redisUrl !== undefined) urls.push(env.redisUrl);
  if (requires.includes('redlock')) urls.push(...(env.redlockUrls ?? []));
  return urls;
}
