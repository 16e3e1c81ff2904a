// Where the tests find etcd: the backends launcher's 3-member cluster, started by
// test/global-setup.ts (LOCKSMITH_ETCD_ENDPOINTS, as `pnpm backends env` prints it; the launcher's
// ports when unset). An unreachable cluster makes the suites skip with the reason, or fail when
// LOCKSMITH_REQUIRE_BACKENDS=1 (CI).
import { skipReason } from '@locksmith/backends';
import { Etcd3 } from 'etcd3';

/** The members' endpoints. etcd3 needs them as an array: a comma-joined string is one bad host. */
export const ETCD_ENDPOINTS = (
  process.env.LOCKSMITH_ETCD_ENDPOINTS ?? [1, 2, 3].map((i) => `http://127.0.0.1:${17200 + i}`).join(',')
)
  .split(',')
  .map((u) => u.trim())
  .filter((u) => u !== '');

/** Whether the backends are required (CI): a skip then becomes a failure. */
export const REQUIRED = process.env.LOCKSMITH_REQUIRE_BACKENDS === '1';

/** A client of the whole cluster (or of `hosts`: the same members through proxies). */
export function connect(hosts: readonly string[] = ETCD_ENDPOINTS): Etcd3 {
  return new Etcd3({ hosts: [...hosts], dialTimeout: 2_000 });
}

/** Why the etcd tests must skip (the launcher's reason, or a failed read), or `undefined`. */
export async function skipFor(): Promise<string | undefined> {
  if (process.env.LOCKSMITH_ETCD_SKIP_REASON !== undefined) return skipReason('etcd');
  const probe = connect();
  try {
    await Promise.race([
      probe.get('locksmith/probe').string(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 3 s')), 3_000).unref()),
    ]);
    return undefined;
  } catch (error) {
    return `etcd at ${ETCD_ENDPOINTS.join(',')} is unreachable (${error instanceof Error ? error.message : String(error)}); start it with \`pnpm backends up etcd\``;
  } finally {
    probe.close();
  }
}

/** A unique key prefix per test file run, so runs on a shared cluster never meet. */
export function testPrefix(name: string): string {
  return `locksmith-test-${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}
