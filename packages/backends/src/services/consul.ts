// Consul: a 3-server Raft cluster on loopback; DNS, gRPC and WAN off. Built from source by
// scripts/install-backends.sh (v1.14.11, MPL-2.0: its module graph needs none of the
// non-open-source consul/envoyextensions or consul/troubleshoot modules) into the install cache.

import { type BackendDriver, combineHealth } from '../driver.ts';
import { dataDir, ensureDir, findBinary } from '../paths.ts';
import { http, httpJson } from '../probes/http.ts';
import { flags } from '../processes.ts';
import { clientPort, HOST, type Member, service } from '../topology.ts';

const url = (m: Member) => `http://${HOST}:${clientPort(m)}`;

/**
 * Agent settings besides the ports, the same in docker-compose.yml (a test checks). Sessions may
 * have TTLs down to 1 s (Consul's default floor is 10 s), so lock tests with short leases see a
 * crashed holder's session end within seconds.
 */
export const CONSUL_SETTINGS = [
  'performance { raft_multiplier = 1 }',
  'disable_update_check = true',
  'session_ttl_min = "1s"',
] as const;

export const consul: BackendDriver = {
  service: 'consul',
  readyTimeoutMs: 60_000,
  requirements() {
    return findBinary('consul') === undefined
      ? 'consul not found in /var/cache/locksmith/bin or on PATH; run scripts/install-backends.sh (builds v1.14.11 from the Go module proxy, needs Go >= 1.22)'
      : undefined;
  },
  async prepare(m: Member) {
    ensureDir(dataDir(m.name));
  },
  command(m: Member) {
    const ports = `ports { http = ${clientPort(m)}, server = ${m.ports.server}, serf_lan = ${m.ports.serf}, serf_wan = -1, dns = -1, grpc = -1, grpc_tls = -1 }`;
    const joins = service('consul')
      .members.filter((p) => p !== m)
      .flatMap((p) => ['-retry-join', `${HOST}:${p.ports.serf}`]);
    return {
      cmd: findBinary('consul') ?? 'consul',
      // biome-ignore format: one flag per line
      args: [
        'agent', '-server',
        ...flags({
          'bootstrap-expect': service('consul').members.length, node: m.name, datacenter: 'locksmith',
          'data-dir': dataDir(m.name), bind: HOST, advertise: HOST, client: HOST, 'log-level': 'warn',
        }, '-'),
        '-hcl', ports,
        ...CONSUL_SETTINGS.flatMap((hcl) => ['-hcl', hcl]),
        ...joins,
      ],
    };
  },
  async memberHealth(m: Member) {
    const leader = await httpJson<string>(`${url(m)}/v1/status/leader`);
    if (leader === '') return { ok: false, detail: 'no leader' };
    // raft configuration names the leader by node, which works behind docker's addresses too
    const raft = await httpJson<{ Servers: Array<{ Node: string; Leader: boolean }> }>(
      `${url(m)}/v1/operator/raft/configuration?stale`,
    );
    const node = raft.Servers.find((s) => s.Leader)?.Node ?? leader;
    return { ok: true, role: node === m.name ? 'leader' : 'follower', detail: `leader ${node}` };
  },
  serviceHealth(members) {
    return combineHealth(consul, members, async (healths) => {
      const leaders = new Set(healths.map((h) => h.detail));
      if (leaders.size !== 1) throw new Error(`members disagree on the leader: ${[...leaders].join(', ')}`);
      const first = members[0];
      if (first === undefined) throw new Error('no members');
      const peers = await httpJson<string[]>(`${url(first)}/v1/status/peers`);
      if (peers.length !== members.length)
        throw new Error(`${peers.length} raft peers, want ${members.length}`);
      const value = `probe-${Math.random().toString(36).slice(2)}`;
      const put = await http(`${url(first)}/v1/kv/locksmith/probe`, { method: 'PUT', body: value });
      if (put.body.trim() !== 'true') throw new Error(`KV put -> ${put.status} ${put.body.trim()}`);
      const got = await http(`${url(first)}/v1/kv/locksmith/probe?raw`);
      if (got.body !== value) throw new Error(`KV get -> ${got.status} ${got.body.slice(0, 80)}`);
      await http(`${url(first)}/v1/kv/locksmith/probe`, { method: 'DELETE' });
      const leader = healths.find((h) => h.role === 'leader')?.name ?? '?';
      return `leader ${leader}, ${peers.length} raft peers, KV put/get ok`;
    });
  },
};
