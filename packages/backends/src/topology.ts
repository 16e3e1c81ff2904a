// The one source of truth for what runs where. docker-compose.yml mirrors it (test/compose.test.ts
// fails when the two disagree); the native launcher and `pnpm backends env` read it directly.
// Every port is on 127.0.0.1 in a block of our own (17100-17899), clear of the standard ports
// (6379, 5432, 3306, 2379, 2181, 8500) that a developer's own servers may already hold.

export const HOST = '127.0.0.1';

export type ServiceName =
  | 'redis'
  | 'redlock'
  | 'etcd'
  | 'zookeeper'
  | 'consul'
  | 'postgres'
  | 'mysql'
  | 'toxiproxy';

export const SERVICE_NAMES: readonly ServiceName[] = [
  'redis',
  'redlock',
  'etcd',
  'zookeeper',
  'consul',
  'postgres',
  'mysql',
  'toxiproxy',
];

/** One process: a Redis instance, a cluster member, a database server or the proxy. */
export interface Member {
  /** Unique; also the compose service name and the toxiproxy proxy name. */
  readonly name: string;
  readonly service: ServiceName;
  /** 1-based position in its service (the ZooKeeper myid, the etcd member number). */
  readonly index: number;
  /** Host ports by role. `client` is what clients connect to. */
  readonly ports: Readonly<Record<string, number>>;
  /** The same roles inside the container (docker compose maps host port -> container port). */
  readonly containerPorts: Readonly<Record<string, number>>;
  /** Toxiproxy listen port in front of `ports.client` (absent for toxiproxy itself). */
  readonly proxyPort?: number;
}

export interface Service {
  readonly name: ServiceName;
  readonly members: readonly Member[];
  /** True for the Raft/ZAB clusters: healthy means every member up and one leader. */
  readonly cluster: boolean;
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i + 1);
}

function member(
  service: ServiceName,
  index: number,
  name: string,
  ports: Record<string, number>,
  containerPorts: Record<string, number>,
  proxyPort?: number,
): Member {
  return proxyPort === undefined
    ? { name, service, index, ports, containerPorts }
    : { name, service, index, ports, containerPorts, proxyPort };
}

const redis = [member('redis', 1, 'redis', { client: 17100 }, { client: 6379 }, 17800)];
const redlock = range(5).map((i) =>
  member('redlock', i, `redlock-${i}`, { client: 17100 + i }, { client: 6379 }, 17800 + i),
);
const etcd = range(3).map((i) =>
  member(
    'etcd',
    i,
    `etcd-${i}`,
    { client: 17200 + i, peer: 17210 + i },
    { client: 2379, peer: 2380 },
    17810 + i,
  ),
);
const zookeeper = range(3).map((i) =>
  member(
    'zookeeper',
    i,
    `zookeeper-${i}`,
    { client: 17300 + i, quorum: 17310 + i, election: 17320 + i },
    { client: 2181, quorum: 2888, election: 3888 },
    17820 + i,
  ),
);
const consul = range(3).map((i) =>
  member(
    'consul',
    i,
    `consul-${i}`,
    { client: 17400 + i, server: 17410 + i, serf: 17420 + i },
    { client: 8500, server: 8300, serf: 8301 },
    17830 + i,
  ),
);
const postgres = [member('postgres', 1, 'postgres', { client: 17501 }, { client: 5432 }, 17850)];
const mysql = [member('mysql', 1, 'mysql', { client: 17601 }, { client: 3306 }, 17860)];
const toxiproxy = [member('toxiproxy', 1, 'toxiproxy', { client: 17700 }, { client: 8474 })];

export const SERVICES: readonly Service[] = [
  { name: 'redis', members: redis, cluster: false },
  { name: 'redlock', members: redlock, cluster: false },
  { name: 'etcd', members: etcd, cluster: true },
  { name: 'zookeeper', members: zookeeper, cluster: true },
  { name: 'consul', members: consul, cluster: true },
  { name: 'postgres', members: postgres, cluster: false },
  { name: 'mysql', members: mysql, cluster: false },
  { name: 'toxiproxy', members: toxiproxy, cluster: false },
];

/** Database, user and image names shared by the native launcher and docker-compose.yml. */
export const DATABASE = { name: 'locksmith', postgresUser: 'postgres', mysqlUser: 'root' } as const;

export function service(name: ServiceName): Service {
  const found = SERVICES.find((s) => s.name === name);
  if (found === undefined) throw new Error(`unknown backend service "${name}"`);
  return found;
}

export function firstMember(name: ServiceName): Member {
  const first = service(name).members[0];
  if (first === undefined) throw new Error(`${name} has no members`);
  return first;
}

export function allMembers(): Member[] {
  return SERVICES.flatMap((s) => s.members);
}

export function findMember(name: string): Member {
  const found = allMembers().find((m) => m.name === name);
  if (found === undefined) {
    throw new Error(
      `unknown backend member "${name}"; known: ${allMembers()
        .map((m) => m.name)
        .join(', ')}`,
    );
  }
  return found;
}

export function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

/** Members toxiproxy fronts, with the proxy's listen port. */
export function proxiedMembers(): Array<Member & { proxyPort: number }> {
  return allMembers().filter((m): m is Member & { proxyPort: number } => m.proxyPort !== undefined);
}

export function clientPort(m: Member): number {
  const port = m.ports.client;
  if (port === undefined) throw new Error(`${m.name} has no client port`);
  return port;
}
