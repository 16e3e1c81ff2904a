// Where the tests find Redis: the backends launcher's servers, started by test/global-setup.ts
// (LOCKSMITH_REDIS_URL and LOCKSMITH_REDLOCK_URLS, as `pnpm backends env` prints them; the
// launcher's ports when unset). An unreachable server makes the suites skip with the reason, or
// fail when LOCKSMITH_REQUIRE_BACKENDS=1 (CI).
import { skipReason } from '@locksmith/backends';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.LOCKSMITH_REDIS_URL ?? 'redis://127.0.0.1:17100';
export const REDLOCK_URLS = (
  process.env.LOCKSMITH_REDLOCK_URLS ?? [1, 2, 3, 4, 5].map((i) => `redis://127.0.0.1:${17100 + i}`).join(',')
)
  .split(',')
  .map((u) => u.trim())
  .filter((u) => u !== '');

/** Why the launcher could not start a service (set by its global setup), if it said so. */
export function launcherSkip(service: 'redis' | 'redlock'): string | undefined {
  const variable = `LOCKSMITH_${service.toUpperCase()}_SKIP_REASON`;
  return process.env[variable] === undefined ? undefined : skipReason(service);
}

/** Whether the backends are required (CI): a skip then becomes a failure. */
export const REQUIRED = process.env.LOCKSMITH_REQUIRE_BACKENDS === '1';

/** A client that fails fast instead of queueing forever while the server is away. */
export function connect(url: string, options: { lazy?: boolean } = {}): Redis {
  const client = new Redis(url, {
    maxRetriesPerRequest: 2,
    connectTimeout: 2_000,
    lazyConnect: options.lazy ?? false,
  });
  client.on('error', () => undefined);
  return client;
}

/** Why `service`'s tests must skip (the launcher's reason, or a failed PING), or `undefined`. */
export async function skipFor(service: 'redis' | 'redlock'): Promise<string | undefined> {
  return launcherSkip(service) ?? (await unreachable(service === 'redis' ? [REDIS_URL] : REDLOCK_URLS));
}

/** Resolves `undefined` when every URL answers PING, else the reason to skip. */
async function unreachable(urls: readonly string[]): Promise<string | undefined> {
  for (const url of urls) {
    const probe = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 1_000,
    });
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
