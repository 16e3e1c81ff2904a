// Where the tests find Consul: the backends launcher's 3-server cluster, started by
// test/global-setup.ts (LOCKSMITH_CONSUL_ADDRS, as `pnpm backends env` prints it; the launcher's
// ports when unset). An unreachable cluster makes the suites skip with the reason, or fail when
// LOCKSMITH_REQUIRE_BACKENDS=1 (CI).
import { skipReason } from '@locksmith/backends';
import Consul from 'consul';

/** The servers' HTTP addresses. */
export const CONSUL_ADDRS = (
  process.env.LOCKSMITH_CONSUL_ADDRS ?? [1, 2, 3].map((i) => `http://127.0.0.1:${17400 + i}`).join(',')
)
  .split(',')
  .map((u) => u.trim())
  .filter((u) => u !== '');

/** Whether the backends are required (CI): a skip then becomes a failure. */
export const REQUIRED = process.env.LOCKSMITH_REQUIRE_BACKENDS === '1';

/** A client of one server (the first, or `addr`), as an application points its client at one agent. */
export function connect(addr = CONSUL_ADDRS[0] ?? 'http://127.0.0.1:17401'): Consul {
  const url = new URL(addr);
  return new Consul({ host: url.hostname, port: Number(url.port) });
}

/** Why the Consul tests must skip (the launcher's reason, or a failed read), or `undefined`. */
export async function skipFor(): Promise<string | undefined> {
  if (process.env.LOCKSMITH_CONSUL_SKIP_REASON !== undefined) return skipReason('consul');
  const probe = connect();
  try {
    const leader = await Promise.race([
      probe.status.leader(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 3 s')), 3_000).unref()),
    ]);
    if (!leader) throw new Error('the cluster has no leader');
    return undefined;
  } catch (error) {
    return `consul at ${CONSUL_ADDRS.join(',')} is unreachable (${error instanceof Error ? error.message : String(error)}); start it with \`pnpm backends up consul\``;
  } finally {
    probe.destroy();
  }
}

/** A unique key prefix per test file run, so runs on a shared cluster never meet. */
export function testPrefix(name: string): string {
  return `locksmith-test-${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}
