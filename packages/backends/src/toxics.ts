// Network faults between a client and a server, through toxiproxy: latency, a cut (connections
// dropped and refused), a blackhole (connections stay open, nothing arrives), and reset.
// Clients must connect through the proxied address (LOCKSMITH_*_PROXY_* from backendEnv()).
import { http, httpJson } from './probes/http.ts';

/** Toxiproxy admin calls wait this long: a loaded CI machine answered a 2 s bound too late once. */
const ADMIN_TIMEOUT_MS = 10_000;

import { clientPort, firstMember, HOST, isServiceName, proxiedMembers, service } from './topology.ts';

export type Stream = 'upstream' | 'downstream';

export function toxiproxyUrl(): string {
  return `http://${HOST}:${clientPort(firstMember('toxiproxy'))}`;
}

/** A member name ('etcd-2') is one proxy; a service name ('etcd') is all its members' proxies. */
function proxyNames(target: string): string[] {
  const names = isServiceName(target)
    ? service(target)
        .members.filter((m) => m.proxyPort !== undefined)
        .map((m) => m.name)
    : proxiedMembers()
        .filter((m) => m.name === target)
        .map((m) => m.name);
  if (names.length === 0) throw new Error(`no toxiproxy proxy for "${target}"`);
  return names;
}

/** Adds a toxic, or updates its attributes when one of that name exists (409). */
async function addToxic(
  proxy: string,
  name: string,
  type: string,
  stream: Stream,
  attributes: Record<string, number>,
) {
  const base = `${toxiproxyUrl()}/proxies/${proxy}/toxics`;
  const res = await http(base, {
    body: { name, type, stream, toxicity: 1, attributes },
    timeoutMs: ADMIN_TIMEOUT_MS,
  });
  if (res.status === 409)
    await httpJson(`${base}/${name}`, { body: { attributes }, timeoutMs: ADMIN_TIMEOUT_MS });
  else if (res.status >= 300)
    throw new Error(`toxiproxy: adding ${type} to ${proxy} -> ${res.status} ${res.body.trim()}`);
}

async function setEnabled(proxy: string, enabled: boolean) {
  await httpJson(`${toxiproxyUrl()}/proxies/${proxy}`, { body: { enabled }, timeoutMs: ADMIN_TIMEOUT_MS });
}

export interface Toxics {
  /** Adds `ms` (± jitter) to every chunk in the given direction(s); default both. */
  latency(ms: number, options?: { jitterMs?: number; streams?: Stream[] }): Promise<void>;
  /** Drops every connection and refuses new ones until reset()/restore(). */
  cut(): Promise<void>;
  /** Re-enables the proxy after cut(); toxics stay. */
  restore(): Promise<void>;
  /** Connections stay open but no data passes (a partition without a reset). */
  blackhole(): Promise<void>;
  /** Removes every toxic and re-enables the proxy. */
  reset(): Promise<void>;
}

export function toxics(target: string): Toxics {
  const proxies = proxyNames(target);
  const each = (fn: (p: string) => Promise<void>) => Promise.all(proxies.map(fn)).then(() => undefined);
  return {
    latency: (ms, options = {}) =>
      each(async (p) => {
        for (const stream of options.streams ?? ['upstream', 'downstream']) {
          await addToxic(p, `latency_${stream}`, 'latency', stream, {
            latency: ms,
            jitter: options.jitterMs ?? 0,
          });
        }
      }),
    cut: () => each((p) => setEnabled(p, false)),
    restore: () => each((p) => setEnabled(p, true)),
    blackhole: () =>
      each(async (p) => {
        for (const stream of ['upstream', 'downstream'] as const)
          await addToxic(p, `blackhole_${stream}`, 'timeout', stream, { timeout: 0 });
      }),
    reset: () =>
      each(async (p) => {
        const list = await httpJson<Array<{ name: string }>>(`${toxiproxyUrl()}/proxies/${p}/toxics`, {
          timeoutMs: ADMIN_TIMEOUT_MS,
        });
        for (const t of list)
          await http(`${toxiproxyUrl()}/proxies/${p}/toxics/${t.name}`, {
            method: 'DELETE',
            timeoutMs: ADMIN_TIMEOUT_MS,
          });
        await setEnabled(p, true);
      }),
  };
}

/** Every proxy back to normal: all toxics removed, all enabled (toxiproxy's POST /reset). */
export async function resetToxics(): Promise<void> {
  await httpJson(`${toxiproxyUrl()}/reset`, { method: 'POST', body: '', timeoutMs: ADMIN_TIMEOUT_MS });
}
