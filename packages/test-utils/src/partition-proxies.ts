// A network partition between one client and its servers, through toxiproxy proxies made for one
// test: never the launcher's proxies, which other tests (and other engineers' runs) share. Only
// toxiproxy's HTTP admin API is used, so this package still imports nothing from the workspace.

/** Admin calls wait this long: toxiproxy settles a proxy's links first, slow on a loaded host. */
const ADMIN_TIMEOUT_MS = 30_000;

/** Proxies in front of a client's servers, and the partition they make. */
export interface PartitionProxies {
  /** Where each proxy listens (`host:port`), in the order of the upstreams: the client connects here. */
  readonly addresses: readonly string[];
  /**
   * Nothing passes either way (a `timeout` toxic of 0: connections stay open, bytes are dropped),
   * as a partition does: the client sees no reset, only silence.
   */
  cut(): Promise<void>;
  /**
   * Ends the partition: the proxies close every connection (their streams lost bytes in the cut,
   * which TCP across a real partition would have resent), drop the toxics and accept again.
   */
  heal(): Promise<void>;
  /** Deletes the proxies. */
  dispose(): Promise<void>;
}

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

/** Why toxiproxy at `adminUrl` cannot be used (unset, or not answering), or `undefined`. */
export async function toxiproxyUnavailable(adminUrl: string | undefined): Promise<string | undefined> {
  if (adminUrl === undefined || adminUrl === '')
    return 'LOCKSMITH_TOXIPROXY_URL is not set; start toxiproxy with `pnpm backends up toxiproxy`';
  try {
    await call(`${adminUrl.replace(/\/+$/, '')}/version`, 'GET');
    return undefined;
  } catch (error) {
    return `toxiproxy at ${adminUrl} does not answer (${error instanceof Error ? error.message : String(error)})`;
  }
}

/**
 * Makes one proxy per upstream (`host:port`), each on a port toxiproxy picks and named
 * `locksmith-partition-<label>-<pid>-<random>-<n>`, so parallel runs never share one.
 * @throws Error when toxiproxy refuses one (the ones made are deleted again).
 */
export async function partitionProxies(
  adminUrl: string,
  upstreams: readonly string[],
  label: string,
): Promise<PartitionProxies> {
  const admin = adminUrl.replace(/\/+$/, '');
  const prefix = `locksmith-partition-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const names: string[] = [];
  const addresses: string[] = [];
  const dispose = async () => {
    const made = names.splice(0);
    await Promise.allSettled(made.map((n) => call(`${admin}/proxies/${n}`, 'DELETE')));
  };
  try {
    for (const [i, upstream] of upstreams.entries()) {
      const name = `${prefix}-${i}`;
      const proxy = (await call(`${admin}/proxies`, 'POST', {
        name,
        listen: '127.0.0.1:0',
        upstream,
        enabled: true,
      })) as { listen?: unknown } | undefined;
      names.push(name);
      if (typeof proxy?.listen !== 'string' || proxy.listen.endsWith(':0'))
        throw new Error(`toxiproxy did not say where proxy ${name} listens (${JSON.stringify(proxy)})`);
      addresses.push(proxy.listen);
    }
  } catch (error) {
    await dispose();
    throw error;
  }
  const each = (fn: (name: string) => Promise<unknown>) => Promise.all(names.map(fn)).then(() => undefined);
  const setEnabled = (name: string, enabled: boolean) =>
    call(`${admin}/proxies/${name}`, 'POST', { enabled });
  return {
    addresses,
    cut: () =>
      each((name) =>
        Promise.all(
          (['upstream', 'downstream'] as const).map((stream) =>
            call(`${admin}/proxies/${name}/toxics`, 'POST', {
              name: `partition_${stream}`,
              type: 'timeout',
              stream,
              toxicity: 1,
              attributes: { timeout: 0 },
            }),
          ),
        ),
      ),
    heal: () =>
      each(async (name) => {
        await setEnabled(name, false);
        const toxics = (await call(`${admin}/proxies/${name}/toxics`, 'GET')) as { name: string }[];
        for (const t of toxics) await call(`${admin}/proxies/${name}/toxics/${t.name}`, 'DELETE');
        await setEnabled(name, true);
      }),
    dispose,
  };
}
