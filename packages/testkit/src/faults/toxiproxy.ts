// Private toxiproxy proxies for the fault suite: one per worker and server endpoint, on a port
// toxiproxy picks, so a fault reaches exactly the workers it is meant for and no proxy another
// test uses. Only toxiproxy's HTTP admin API is used (no client library).

/** Toxiproxy's admin calls wait for a proxy's links to settle: on a loaded host 10 s timed out once (zookeeper cut, CI). */
const ADMIN_TIMEOUT_MS = 30_000;
/** A "stall": nothing passes until healed, and then everything does, in order (TCP survives). */
const STALL_MS = 3_600_000;

async function call(url: string, method: string, body?: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
    signal: AbortSignal.timeout(ADMIN_TIMEOUT_MS),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`toxiproxy ${method} ${url} -> ${response.status} ${text.trim()}`);
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

/** Why toxiproxy at `adminUrl` cannot be used, or `undefined` when it answers. */
export async function toxiproxyUnavailable(adminUrl: string): Promise<string | undefined> {
  try {
    await call(`${adminUrl}/version`, 'GET');
    return undefined;
  } catch (error) {
    return `toxiproxy at ${adminUrl} does not answer (${error instanceof Error ? error.message : String(error)})`;
  }
}

/** Proxies a run made; every fault names the proxies it applies to. */
export class PrivateProxies {
  readonly #admin: string;
  readonly #prefix = `locksmith-fault-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  readonly #names: string[] = [];
  #made = 0;

  constructor(adminUrl: string) {
    this.#admin = adminUrl.replace(/\/+$/, '');
  }

  /** A new proxy to `upstream` (`host:port`); resolves its name and the address it listens on. */
  async create(upstream: string): Promise<{ name: string; listen: string }> {
    const name = `${this.#prefix}-${this.#made++}`;
    const proxy = (await call(`${this.#admin}/proxies`, 'POST', {
      name,
      listen: '127.0.0.1:0',
      upstream,
      enabled: true,
    })) as { listen?: string };
    this.#names.push(name);
    if (typeof proxy?.listen !== 'string' || proxy.listen.endsWith(':0'))
      throw new Error(`toxiproxy did not say where proxy ${name} listens (${JSON.stringify(proxy)})`);
    return { name, listen: proxy.listen };
  }

  /** Adds `ms` ± `jitterMs` to every chunk, both ways. */
  latency(names: readonly string[], ms: number, jitterMs: number): Promise<void> {
    return this.#toxic(names, 'fault_latency', 'latency', { latency: ms, jitter: jitterMs });
  }

  /** Nothing passes, both ways, until {@link heal}; then what was held back arrives in order. */
  stall(names: readonly string[]): Promise<void> {
    return this.#toxic(names, 'fault_stall', 'latency', { latency: STALL_MS, jitter: 0 });
  }

  /** Closes every connection and refuses new ones until {@link heal}. */
  async cut(names: readonly string[]): Promise<void> {
    await Promise.all(names.map((n) => call(`${this.#admin}/proxies/${n}`, 'POST', { enabled: false })));
  }

  /** Removes every toxic of these proxies and enables them. */
  async heal(names: readonly string[]): Promise<void> {
    await Promise.all(
      names.map(async (n) => {
        const toxics = (await call(`${this.#admin}/proxies/${n}/toxics`, 'GET')) as { name: string }[];
        for (const t of toxics) await call(`${this.#admin}/proxies/${n}/toxics/${t.name}`, 'DELETE');
        await call(`${this.#admin}/proxies/${n}`, 'POST', { enabled: true });
      }),
    );
  }

  /** Deletes every proxy this object made. */
  async dispose(): Promise<void> {
    const names = this.#names.splice(0);
    await Promise.allSettled(names.map((n) => call(`${this.#admin}/proxies/${n}`, 'DELETE')));
  }

  async #toxic(
    names: readonly string[],
    name: string,
    type: string,
    attributes: Record<string, number>,
  ): Promise<void> {
    await Promise.all(
      names.flatMap((n) =>
        (['upstream', 'downstream'] as const).map((stream) =>
          call(`${this.#admin}/proxies/${n}/toxics`, 'POST', {
            name: `${name}_${stream}`,
            type,
            stream,
            toxicity: 1,
            attributes,
          }),
        ),
      ),
    );
  }
}
