// The connection settings tests and the bench read, as NAME=value pairs: a direct address for each
// service and the same through toxiproxy (`*_PROXY_*`), for fault injection between client and server.
import {
  clientPort,
  DATABASE,
  firstMember,
  HOST,
  type Member,
  SERVICE_NAMES,
  type ServiceName,
  service,
} from './topology.ts';

type Address = (host: string, port: number) => string;

interface EnvSpec {
  /** Variable name for the direct addresses; the proxied one inserts `_PROXY` before the suffix. */
  name: string;
  format: Address;
}

const SPECS: Record<Exclude<ServiceName, 'toxiproxy'>, EnvSpec> = {
  redis: { name: 'LOCKSMITH_REDIS_URL', format: (h, p) => `redis://${h}:${p}` },
  redlock: { name: 'LOCKSMITH_REDLOCK_URLS', format: (h, p) => `redis://${h}:${p}` },
  etcd: { name: 'LOCKSMITH_ETCD_ENDPOINTS', format: (h, p) => `http://${h}:${p}` },
  zookeeper: { name: 'LOCKSMITH_ZOOKEEPER_HOSTS', format: (h, p) => `${h}:${p}` },
  consul: { name: 'LOCKSMITH_CONSUL_ADDRS', format: (h, p) => `http://${h}:${p}` },
  postgres: {
    name: 'LOCKSMITH_POSTGRES_URL',
    format: (h, p) => `postgres://${DATABASE.postgresUser}@${h}:${p}/${DATABASE.name}`,
  },
  mysql: {
    name: 'LOCKSMITH_MYSQL_URL',
    format: (h, p) => `mysql://${DATABASE.mysqlUser}@${h}:${p}/${DATABASE.name}`,
  },
};

/** LOCKSMITH_ETCD_ENDPOINTS -> LOCKSMITH_ETCD_PROXY_ENDPOINTS */
export function proxyVariable(name: string): string {
  return name.replace(/_(URL|URLS|ENDPOINTS|HOSTS|ADDRS)$/, '_PROXY_$1');
}

/** The variable that carries why a service was skipped (set by ensureBackends / the global setup). */
export function skipVariable(name: ServiceName): string {
  return `LOCKSMITH_${name.toUpperCase()}_SKIP_REASON`;
}

const join = (members: readonly Member[], port: (m: Member) => number, format: Address) =>
  members.map((m) => format(HOST, port(m))).join(',');

/**
 * The environment for the given services (all by default). Proxied variables are included when
 * toxiproxy is among them.
 */
export function backendEnv(services: readonly ServiceName[] = SERVICE_NAMES): Record<string, string> {
  const env: Record<string, string> = {};
  const proxied = services.includes('toxiproxy');
  for (const name of services) {
    if (name === 'toxiproxy') {
      env.LOCKSMITH_TOXIPROXY_URL = `http://${HOST}:${clientPort(firstMember('toxiproxy'))}`;
      continue;
    }
    const spec = SPECS[name];
    const members = service(name).members;
    env[spec.name] = join(members, clientPort, spec.format);
    if (proxied)
      env[proxyVariable(spec.name)] = join(members, (m) => m.proxyPort ?? clientPort(m), spec.format);
  }
  return env;
}

/** `NAME=value` lines, sorted, ready for `set -a; source <(pnpm -s backends env)`. */
export function formatEnv(env: Record<string, string>): string {
  return Object.keys(env)
    .sort()
    .map((k) => `${k}=${env[k]}`)
    .join('\n');
}
