// Where the tests find Redis: the backends launcher's servers (LOCKSMITH_REDIS_URL and
// LOCKSMITH_REDLOCK_URLS, as `pnpm backends env` prints them, defaulting to the launcher's ports).
// An unreachable server makes the suites skip with the reason, or fail when
// LOCKSMITH_REQUIRE_BACKENDS=1 (CI).
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.LOCKSMITH_REDIS_URL ?? 'redis://127.0.0.1:17100';
export const REDLOCK_URLS = (
  process.env.LOCKSMITH_REDLOCK_URLS ?? [1, 2, 3, 4, 5].map((i) => `redis://127.0.0.1:${17100 + i}`).join(',')
)
  .split(',')
  .map((u) => u.trim())
  .filter((u) => u !== '');

/** Whether the backends are required (CI): a skip then becomes a failure. */
export const REQUIRED = process.env.LOCKSMITH_REQUIRE_BACKENDS === '1';

/** A client that fails fast instead of queueing forever while the server is away. */
export function connect(url: string, options: { lazy?: boolean } = {}): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 2, connectTimeout: 2_000, lazyConnect: options.lazy ?? false });
  client.on('error', () => undefined);
  return client;
}

/** Resolves `undefined` when every URL answers PING, else the reason to skip. */
export async function unreachable(urls: readonly string[]): Promise<string | undefined> {
  for (const url of urls) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_000 });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
    } catch (error) {
      return `Redis at ${url} is unreachable (${error instanceof Error ? error.message : String(error)}); start it with \`pnpm backends up redis redlock\``;
    } finally {
      probe.disconnect();
    }
  }
  return undefined;
}

/** A unique key prefix per test file run, so runs on a shared server never meet. */
export function testPrefix(name: string): string {
  return `locksmith-test-${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}
