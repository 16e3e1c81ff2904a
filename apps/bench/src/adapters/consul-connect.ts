import type Consul from 'consul';

/**
 * The launcher's Consul servers from `LOCKSMITH_CONSUL_ADDRS` (comma-separated, as `pnpm backends
 * env` prints it; the launcher's ports when unset). The runner checks the `consul` requirement.
 */
export function consulAddrs(): string[] {
  const raw =
    process.env.LOCKSMITH_CONSUL_ADDRS ??
    'http://127.0.0.1:17401,http://127.0.0.1:17402,http://127.0.0.1:17403';
  return raw
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
}

/** A client of the first server (an application talks to one agent); fails fast when it does not answer. */
export async function connectConsul(): Promise<Consul> {
  const { default: ConsulClass } = (await import('consul')) as unknown as { default: typeof Consul };
  const url = new URL(consulAddrs()[0] ?? 'http://127.0.0.1:17401');
  const client = new ConsulClass({ host: url.hostname, port: Number(url.port) });
  try {
    const leader = await client.status.leader({ timeout: 3_000 } as never);
    if (!leader) throw new Error('the cluster has no leader');
  } catch (error) {
    client.destroy();
    throw new Error(
      `consul at ${url.origin} did not answer: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return client;
}

/** Consul session TTLs as the bench uses them: whole seconds. */
export function sessionTtl(ttlMs: number): string {
  return `${Math.max(1, Math.ceil(ttlMs / 1000))}s`;
}

/** Resolves once `key` has no holder: blocking queries from the index last seen (no polling). */
export async function waitUntilFree(client: Consul, key: string, signal?: AbortSignal): Promise<void> {
  let index = '0';
  for (;;) {
    signal?.throwIfAborted();
    const { EventEmitter } = await import('node:events');
    const ctx = Object.assign(new EventEmitter(), { includeResponse: true });
    const cancel = () => ctx.emit('cancel');
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      const [res, entry] = (await client.kv.get({
        key,
        ctx,
        ...(index === '0' ? {} : { index, wait: '30s' }),
        timeout: 40_000,
      } as never)) as unknown as [{ headers: Record<string, string> }, { Session?: string } | undefined];
      if (entry === undefined || !entry.Session) return;
      index = res.headers['x-consul-index'] ?? '0';
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }
}
