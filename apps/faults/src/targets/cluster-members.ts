// The `member` fault on the launcher's clusters (etcd, ZooKeeper, Consul): a follower killed
// (kill -9) and started again, then the leader. These members serve everyone's tests, so the
// fault runs only with the package's opt-in variable (LOCKSMITH_ETCD_MEMBER_FAULTS=1, …), as the
// packages' own leader-kill tests do.
import { createConnection } from 'node:net';
import { findMember, killMember, service, startMember } from '@locksmith/backends';
import type { FaultSkip, ServerFault, ServerInjection } from '@locksmith/testkit';
import { Etcd3 } from 'etcd3';

export type Cluster = 'etcd' | 'zookeeper' | 'consul';

/** The launcher name (`etcd-2`) of the member that leads now. */
export const LEADER: Record<Cluster, () => Promise<string>> = {
  async etcd() {
    const client = new Etcd3({
      hosts: memberAddresses('etcd').map((a) => `http://${a}`),
      dialTimeout: 2_000,
    });
    try {
      const status = await client.maintenance.status();
      const members = await client.cluster.memberList({});
      const leader = members.members.find((m) => m.ID === status.leader);
      if (leader === undefined) throw new Error(`no etcd member has the leader id ${status.leader}`);
      return leader.name;
    } finally {
      client.close();
    }
  },
  async zookeeper() {
    for (const name of memberNames('zookeeper')) {
      if (/Mode: leader/.test(await fourLetterWord(name, 'srvr'))) return name;
    }
    throw new Error('no ZooKeeper node says it leads');
  },
  async consul() {
    for (const address of memberAddresses('consul')) {
      try {
        const reply = await fetch(`http://${address}/v1/operator/raft/configuration`, {
          signal: AbortSignal.timeout(3_000),
        });
        const raft = (await reply.json()) as { Servers: { Node: string; Leader: boolean }[] };
        const leader = raft.Servers.find((s) => s.Leader);
        if (leader !== undefined) return leader.Node;
      } catch {
        // ask the next server
      }
    }
    throw new Error('no Consul server names a leader');
  },
};

const memberNames = (cluster: Cluster) => service(cluster).members.map((m) => m.name);
const memberAddresses = (cluster: Cluster) =>
  service(cluster).members.map((m) => `127.0.0.1:${m.ports.client}`);

function fourLetterWord(name: string, word: string): Promise<string> {
  const port = findMember(name).ports.client ?? 0;
  return new Promise((resolve) => {
    let out = '';
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write(word));
    socket.setTimeout(3_000, () => socket.destroy());
    socket.on('data', (d) => {
      out += d.toString();
    });
    socket.on('error', () => resolve(''));
    socket.on('close', () => resolve(out));
  });
}

function injection(cluster: Cluster, role: 'follower' | 'leader', downMs: number): ServerInjection {
  let victim: string | undefined;
  return {
    label: `kill -9 of the ${role}`,
    downMs,
    async begin() {
      const leader = await LEADER[cluster]();
      victim = role === 'leader' ? leader : memberNames(cluster).find((n) => n !== leader);
      if (victim === undefined) throw new Error(`${cluster} has no ${role} to kill`);
      await killMember(victim);
      return `kill -9 of the ${role} ${victim}, then started again`;
    },
    async end() {
      if (victim !== undefined) await startMember(victim);
    },
  };
}

/**
 * A follower, then the leader, killed for `downMs` and started again; not run unless
 * `LOCKSMITH_<CLUSTER>_MEMBER_FAULTS=1` (and only against the launcher's servers, which it can kill).
 */
export function clusterMembers(
  cluster: Cluster,
  env: Readonly<Record<string, string | undefined>>,
  downMs: number,
): ServerFault | FaultSkip {
  const variable = `LOCKSMITH_${cluster.toUpperCase()}_MEMBER_FAULTS`;
  if (env[variable] !== '1')
    return {
      skip: 'not-run',
      reason: `kills the shared ${cluster} cluster's members: set ${variable}=1 when nothing else uses them`,
    };
  return {
    prepare: async () => ({
      injections: [injection(cluster, 'follower', downMs), injection(cluster, 'leader', downMs)],
      dispose: async () => {
        // Members were started again by each injection's end.
      },
    }),
  };
}
