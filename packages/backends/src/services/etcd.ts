// etcd: a 3-member Raft cluster. Health goes through the JSON gateway (/v3/...), so no etcdctl is
// needed: every member reports the same leader, then a put and a range read through one member.

import { type BackendDriver, combineHealth } from '../driver.ts';
import { dataDir, findBinary } from '../paths.ts';
import { httpJson } from '../probes/http.ts';
import { flags } from '../processes.ts';
import { clientPort, HOST, type Member, service } from '../topology.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const url = (m: Member) => `http://${HOST}:${clientPort(m)}`;
const peerUrl = (m: Member) => `http://${HOST}:${m.ports.peer}`;

interface StatusResponse {
  header?: { member_id?: string };
  leader?: string;
}

export const etcd: BackendDriver = {
  service: 'etcd',
  readyTimeoutMs: 45_000,
  requirements() {
    return findBinary('etcd') === undefined
      ? 'etcd not found on PATH; run scripts/install-backends.sh (apt-get install etcd-server etcd-client)'
      : undefined;
  },
  async prepare() {},
  command(m: Member) {
    const cluster = service('etcd')
      .members.map((p) => `${p.name}=${peerUrl(p)}`)
      .join(',');
    return {
      cmd: findBinary('etcd') ?? 'etcd',
      // biome-ignore format: one flag per line
      args: flags({
        name: m.name, 'data-dir': dataDir(m.name),
        'listen-client-urls': url(m), 'advertise-client-urls': url(m),
        'listen-peer-urls': peerUrl(m), 'initial-advertise-peer-urls': peerUrl(m),
        'initial-cluster': cluster, 'initial-cluster-token': 'locksmith', 'initial-cluster-state': 'new',
        'log-level': 'warn', logger: 'zap',
      }),
    };
  },
  async memberHealth(m: Member) {
    const status = await httpJson<StatusResponse>(`${url(m)}/v3/maintenance/status`, { body: {} });
    const leader = status.leader ?? '0';
    if (leader === '0') return { ok: false, detail: 'no leader' };
    return {
      ok: true,
      role: leader === status.header?.member_id ? 'leader' : 'follower',
      detail: `leader ${leader}`,
    };
  },
  serviceHealth(members) {
    return combineHealth(etcd, members, async (healths) => {
      const leaders = new Set(healths.map((h) => h.detail));
      if (leaders.size !== 1) throw new Error(`members disagree on the leader: ${[...leaders].join(', ')}`);
      const first = members[0];
      if (first === undefined) throw new Error('no members');
      const value = `probe-${Math.random().toString(36).slice(2)}`;
      await httpJson(`${url(first)}/v3/kv/put`, { body: { key: b64('locksmith/probe'), value: b64(value) } });
      const got = await httpJson<{ kvs?: Array<{ value: string }> }>(`${url(first)}/v3/kv/range`, {
        body: { key: b64('locksmith/probe') },
      });
      if (got.kvs?.[0]?.value !== b64(value)) throw new Error('put/get: read back a different value');
      await httpJson(`${url(first)}/v3/kv/deleterange`, { body: { key: b64('locksmith/probe') } });
      const leader = healths.find((h) => h.role === 'leader')?.name ?? '?';
      return `leader ${leader}, ${healths.length} members, put/get ok`;
    });
  },
};
