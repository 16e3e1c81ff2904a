import type { Requirement } from './adapters/adapter.ts';
import { connectConsul, consulAddrs } from './adapters/consul-connect.ts';
import { connectEtcd, etcdEndpoints } from './adapters/etcd-connect.ts';
import { mysqlUrl, probeMysql } from './adapters/mysql-connect.ts';
import { postgresUrl, postgresVersion } from './adapters/postgres-connect.ts';
import { connectRedis, quitAll } from './adapters/redis-connect.ts';
import { connectZooKeeper, zookeeperHosts, zookeeperVersion } from './adapters/zookeeper-connect.ts';

/** What the bench found for each server requirement. */
export interface BackendStatus {
  readonly redisUrl?: string;
  readonly redlockUrls?: readonly string[];
  /** Server versions by requirement (`redis`: `7.0.15`). */
  readonly versions: Readonly<Record<string, string>>;
  /** Requirements that cannot be met: why, and how to get them. */
  readonly missing: ReadonlyMap<Requirement, string>;
  /** Servers the launcher started for this run (the rest already served): stopped at its end. */
  readonly started: readonly Requirement[];
}

const HOW_TO: Record<Requirement, string> = {
  redis:
    'start it with `pnpm backends up redis` (native redis-server or docker compose), or set LOCKSMITH_REDIS_URL',
  redlock:
    'start them with `pnpm backends up redlock` (five redis-server instances), or set LOCKSMITH_REDLOCK_URLS (comma-separated)',
  etcd: 'start it with `pnpm backends up etcd` (a 3-member cluster), or set LOCKSMITH_ETCD_ENDPOINTS (comma-separated)',
  consul:
    'start it with `pnpm backends up consul` (a 3-server cluster), or set LOCKSMITH_CONSUL_ADDRS (comma-separated)',
  postgres: 'start it with `pnpm backends up postgres`, or set LOCKSMITH_POSTGRES_URL',
  mysql: 'start it with `pnpm backends up mysql` (MariaDB), or set LOCKSMITH_MYSQL_URL',
  zookeeper:
    'start it with `pnpm backends up zookeeper` (a 3-node ensemble), or set LOCKSMITH_ZOOKEEPER_HOSTS (comma-separated host:port)',
};

/** The environment variable that points the bench at each requirement's servers. */
const VARIABLE: Record<Requirement, string> = {
  redis: 'LOCKSMITH_REDIS_URL',
  redlock: 'LOCKSMITH_REDLOCK_URLS',
  etcd: 'LOCKSMITH_ETCD_ENDPOINTS',
  consul: 'LOCKSMITH_CONSUL_ADDRS',
  postgres: 'LOCKSMITH_POSTGRES_URL',
  mysql: 'LOCKSMITH_MYSQL_URL',
  zookeeper: 'LOCKSMITH_ZOOKEEPER_HOSTS',
};

type Log = (line: string) => void;

function readEnv(): { redisUrl?: string; redlockUrls?: string[] } {
  const redisUrl = process.env.LOCKSMITH_REDIS_URL?.trim();
  const redlock = process.env.LOCKSMITH_REDLOCK_URLS?.split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  return {
    ...(redisUrl ? { redisUrl } : {}),
    ...(redlock !== undefined && redlock.length > 0 ? { redlockUrls: redlock } : {}),
  };
}

/** Connects, asks the version, disconnects. Resolves the version or an error message. */
async function probe(url: string): Promise<{ version: string } | { error: string }> {
  try {
    const client = await connectRedis(url);
    try {
      const info = await client.info('server');
      return { version: /^redis_version:(\S+)/m.exec(info)?.[1] ?? 'unknown' };
    } finally {
      await quitAll([client]);
    }
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Connects to the cluster, asks a member's version, disconnects. */
async function probeEtcd(): Promise<{ version: string } | { error: string }> {
  try {
    const client = await connectEtcd();
    try {
      return { version: (await client.maintenance.status()).version };
    } finally {
      client.close();
    }
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Connects to a server, asks its version, disconnects. */
async function probeConsul(): Promise<{ version: string } | { error: string }> {
  try {
    const client = await connectConsul();
    try {
      const self = (await client.agent.self()) as { Config?: { Version?: string } };
      return { version: self.Config?.Version ?? 'unknown' };
    } finally {
      client.destroy();
    }
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Opens a session on the ensemble, closes it, asks a node's version. */
async function probeZooKeeper(): Promise<{ version: string } | { error: string }> {
  try {
    (await connectZooKeeper()).close();
    return { version: await zookeeperVersion() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Connects, asks the server version, disconnects. */
async function probePostgres(): Promise<{ version: string } | { error: string }> {
  try {
    return { version: await postgresVersion() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** The servers that are not Redis URLs: where they are (for messages) and how to ask their version. */
const SERVERS: Partial<
  Record<Requirement, { where(): string; probe(): Promise<{ version: string } | { error: string }> }>
> = {
  etcd: { where: () => etcdEndpoints().join(','), probe: probeEtcd },
  zookeeper: { where: zookeeperHosts, probe: probeZooKeeper },
  consul: { where: () => consulAddrs().join(','), probe: probeConsul },
  postgres: { where: postgresUrl, probe: probePostgres },
  mysql: { where: mysqlUrl, probe: probeMysql },
};

async function check(
  req: Requirement,
  env: ReturnType<typeof readEnv>,
): Promise<{ version: string } | { error: string }> {
  const server = SERVERS[req];
  if (server !== undefined) {
    if (process.env[VARIABLE[req]] === undefined) return { error: `${VARIABLE[req]} is not set` };
    const r = await server.probe();
    return 'error' in r ? { error: `${server.where()} is not reachable (${r.error})` } : r;
  }
  const urls = req === 'redis' ? (env.redisUrl === undefined ? [] : [env.redisUrl]) : (env.redlockUrls ?? []);
  const variable = VARIABLE[req];
  if (urls.length === 0) return { error: `${variable} is not set` };
  const results = await Promise.all(urls.map(probe));
  const failed = results.findIndex((r) => 'error' in r);
  if (failed >= 0)
    return { error: `${urls[failed]} is not reachable (${(results[failed] as { error: string }).error})` };
  return results[0] as { version: string };
}

/**
 * Asks the launcher (`@locksmith/backends`) to start the servers and copies the settings it
 * returns into `process.env`. Resolves a message per requirement it could not start.
 */
async function startWithLauncher(
  needed: readonly Requirement[],
  log: Log,
  started: Requirement[],
): Promise<Map<Requirement, string>> {
  const problems = new Map<Requirement, string>();
  log(`starting ${needed.join(', ')} through the backends launcher (pnpm backends up)…`);
  try {
    const { ensureBackends } = await import('@locksmith/backends');
    // Never `required` here: the bench measures what it can and says why it skipped the rest.
    const result = await ensureBackends([...needed], { required: false });
    for (const [k, v] of Object.entries(result.env)) {
      if (k.startsWith('LOCKSMITH_') && process.env[k] === undefined) process.env[k] = v;
    }
    for (const req of needed) {
      const why = result.skipped[req];
      if (why !== undefined) problems.set(req, `the launcher could not start it: ${why}`);
      if (result.started.includes(req)) started.push(req);
    }
  } catch (error) {
    const why = `the launcher failed: ${error instanceof Error ? error.message : String(error)}`;
    for (const req of needed) problems.set(req, why);
  }
  return problems;
}

/**
 * Finds the servers the selected mechanisms need: from `LOCKSMITH_*` when they answer, otherwise
 * through the launcher. What still cannot be reached is reported with why and how to get it.
 */
export async function prepareBackends(needed: readonly Requirement[], log: Log): Promise<BackendStatus> {
  const versions: Record<string, string> = {};
  const missing = new Map<Requirement, string>();
  const started: Requirement[] = [];
  if (needed.length === 0) return { versions, missing, started };
  let env = readEnv();
  let results = await Promise.all(needed.map((r) => check(r, env)));
  const down = needed.filter((_, i) => 'error' in results[i]!);
  let launcher = new Map<Requirement, string>();
  if (down.length > 0) {
    // Settings that point at servers that do not answer are replaced by the launcher's.
    for (const req of down) delete process.env[VARIABLE[req]];
    launcher = await startWithLauncher(down, log, started);
    env = readEnv();
    results = await Promise.all(needed.map((r) => check(r, env)));
  }
  needed.forEach((req, i) => {
    const r = results[i]!;
    if ('error' in r) {
      const why = launcher.get(req);
      missing.set(req, `${r.error}${why === undefined ? '' : `; ${why}`}. To measure it: ${HOW_TO[req]}`);
    } else {
      versions[req] = r.version;
    }
  });
  return {
    ...(env.redisUrl !== undefined && !missing.has('redis') ? { redisUrl: env.redisUrl } : {}),
    ...(env.redlockUrls !== undefined && !missing.has('redlock') ? { redlockUrls: env.redlockUrls } : {}),
    versions,
    missing,
    started,
  };
}
