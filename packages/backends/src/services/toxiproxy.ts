// Toxiproxy: one proxy per server so fault tests can add latency or cut connections between a
// client and a server without touching the server. Built by scripts/install-backends.sh.

import { type BackendDriver, combineHealth } from '../driver.ts';
import { currentMode } from '../mode.ts';
import { findBinary } from '../paths.ts';
import { http, httpJson } from '../probes/http.ts';
import { proxyDefinitions } from '../proxies.ts';
import { clientPort, HOST, type Member } from '../topology.ts';

export const toxiproxyUrl = (m: Member) => `http://${HOST}:${clientPort(m)}`;

export const toxiproxy: BackendDriver = {
  service: 'toxiproxy',
  readyTimeoutMs: 15_000,
  requirements() {
    return findBinary('toxiproxy') === undefined && findBinary('toxiproxy-server') === undefined
      ? 'toxiproxy not found in /var/cache/locksmith/bin or on PATH; run scripts/install-backends.sh (builds v2.12.0 from the Go module proxy)'
      : undefined;
  },
  async prepare() {},
  command(m: Member) {
    return {
      cmd: findBinary('toxiproxy') ?? findBinary('toxiproxy-server') ?? 'toxiproxy-server',
      args: ['-host', HOST, '-port', String(clientPort(m))],
      env: { LOG_LEVEL: 'warn' },
    };
  },
  async init(members) {
    for (const m of members) {
      // populate creates missing proxies and leaves existing ones (and their toxics) alone
      await httpJson(`${toxiproxyUrl(m)}/populate`, { body: proxyDefinitions(currentMode()) });
    }
  },
  async memberHealth(m: Member) {
    const version = (await http(`${toxiproxyUrl(m)}/version`)).body.trim();
    const proxies = await httpJson<Record<string, { enabled: boolean }>>(`${toxiproxyUrl(m)}/proxies`);
    const missing = proxyDefinitions('native')
      .filter((p) => proxies[p.name] === undefined)
      .map((p) => p.name);
    if (missing.length > 0) return { ok: false, detail: `proxies missing: ${missing.join(', ')}` };
    const v = version.startsWith('{') ? (JSON.parse(version) as { version: string }).version : version;
    return { ok: true, detail: `v${v.replace(/^v/, '')}, ${Object.keys(proxies).length} proxies` };
  },
  serviceHealth(members) {
    return combineHealth(toxiproxy, members, async ([h]) => h?.detail ?? '');
  },
};
