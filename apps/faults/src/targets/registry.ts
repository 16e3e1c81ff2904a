// Every backend (and mode) the fault suite runs, and how each fault reaches it. TTLs are short so
// faults play out quickly, but at least what each server accepts (etcd leases and ZooKeeper
// sessions: 2 s; Consul sessions: 1 s on the launcher's servers, `session_ttl_min`).
import type { FaultSkip, FaultTarget } from '@locksmith/testkit';
import type { ClientFile } from '../client-bundle.ts';
import { clusterMembers } from './cluster-members.ts';
import { networkRoute } from './network-route.ts';
import { postgresRestart } from './private-postgres.ts';
import { redisRestart, redlockMembers } from './private-redis.ts';
import { sharedMysqlRestart } from './shared-restart.ts';
import type { TargetDefinition, TargetSettings } from './target-definition.ts';

const na = (reason: string): FaultSkip => ({ skip: 'n/a', reason });

const NO_SERVER = na('no server: the locks live in the file system the processes share');
const NO_NETWORK = na('no network between the processes and their locks');
const SINGLE = na('a single server: see restart');
const CLUSTER = na('a 3-member cluster does not restart as one: see member');

const SESSION_GAP =
  'when the server ends the session (connection cut, or killed server-side), it frees the lock at once and the ' +
  'holder reads lost about a round trip later, so a successor can be first (README "Loss"): use the fencing token';

function client(
  settings: TargetSettings,
  file: ClientFile,
  env: Record<string, string>,
  exportName?: string,
) {
  return { module: settings.module(file), ...(exportName === undefined ? {} : { exportName }), env };
}

const pick = (s: TargetSettings, ...names: string[]) =>
  Object.fromEntries(names.map((n) => [n, s.env[n] ?? ''])) as Record<string, string>;

export const TARGETS: readonly TargetDefinition[] = [
  {
    name: 'memory',
    requires: [],
    build: (s) => ({
      name: 'memory',
      client: client(s, 'file', {}),
      ttlMs: 1_000,
      pause: na('in-process locks: a paused process pauses every holder and waiter with it'),
      kill: na('in-process locks: a killed process takes every holder and waiter with it'),
      restart: na('no server'),
      network: na('no network'),
      member: na('no cluster'),
    }),
  },
  {
    name: 'file',
    requires: [],
    build: (s) => ({
      name: 'file',
      client: client(s, 'file', { LOCKSMITH_FAULTS_FILE_DIR: s.fileDir }),
      ttlMs: 1_000,
      takeoverMs: 6_000,
      restart: NO_SERVER,
      network: NO_NETWORK,
      member: na('no cluster'),
    }),
  },
  {
    name: 'redis',
    requires: ['redis'],
    note: '`restart` runs on a private redis-server (no persistence: it comes back without the lock).',
    build: (s) => ({
      name: 'redis',
      client: client(s, 'redis', pick(s, 'LOCKSMITH_REDIS_URL')),
      ttlMs: 1_000,
      takeoverMs: 6_000,
      restart: redisRestart(500),
      network: networkRoute(s.env, 'LOCKSMITH_REDIS_URL'),
      member: SINGLE,
    }),
  },
  {
    name: 'redlock',
    requires: ['redlock'],
    note:
      'Fencing is best-effort (README "What Redlock does not guarantee"). `member` runs on five private redis-servers, ' +
      'restarted without their data.',
    build: (s) => ({
      name: 'redlock',
      client: client(s, 'redis', pick(s, 'LOCKSMITH_REDLOCK_URLS'), 'createRedlock'),
      ttlMs: 1_000,
      takeoverMs: 6_000,
      restart: na('five independent instances: member takes a minority, then a majority, down and back'),
      network: networkRoute(s.env, 'LOCKSMITH_REDLOCK_URLS'),
      member: redlockMembers(2_000),
    }),
  },
  {
    name: 'etcd',
    requires: ['etcd'],
    sharedFaults: ['member'],
    build: (s) => ({
      name: 'etcd',
      client: client(s, 'etcd', pick(s, 'LOCKSMITH_ETCD_ENDPOINTS')),
      ttlMs: 2_000,
      takeoverMs: 10_000,
      restart: CLUSTER,
      network: networkRoute(s.env, 'LOCKSMITH_ETCD_ENDPOINTS'),
      member: clusterMembers('etcd', s.env, 4_000),
    }),
  },
  {
    name: 'zookeeper',
    requires: ['zookeeper'],
    sharedFaults: ['member'],
    note:
      'After a session expired (a cut longer than the 2 s session timeout) the `zookeeper` package closes its handle; ' +
      'the client module then makes a new ZooKeeper client and lock client, as the package README tells applications to.',
    build: (s) => ({
      name: 'zookeeper',
      client: client(s, 'zookeeper', {
        ...pick(s, 'LOCKSMITH_ZOOKEEPER_HOSTS'),
        LOCKSMITH_FAULTS_SESSION_MS: '2000',
      }),
      ttlMs: 2_000,
      takeoverMs: 10_000,
      restart: CLUSTER,
      network: networkRoute(s.env, 'LOCKSMITH_ZOOKEEPER_HOSTS'),
      member: clusterMembers('zookeeper', s.env, 4_000),
    }),
  },
  {
    name: 'consul',
    requires: ['consul'],
    sharedFaults: ['member'],
    build: (s) => ({
      name: 'consul',
      client: client(s, 'consul', pick(s, 'LOCKSMITH_CONSUL_ADDRS')),
      ttlMs: 1_000,
      takeoverMs: 10_000,
      restart: CLUSTER,
      network: networkRoute(s.env, 'LOCKSMITH_CONSUL_ADDRS'),
      member: clusterMembers('consul', s.env, 4_000),
    }),
  },
  ...(['postgres', 'mysql'] as const).flatMap((db): TargetDefinition[] => {
    const variable = db === 'postgres' ? 'LOCKSMITH_POSTGRES_URL' : 'LOCKSMITH_MYSQL_URL';
    const common = (s: TargetSettings) => ({
      ttlMs: 1_000,
      takeoverMs: 5_000,
      restart: db === 'mysql' ? sharedMysqlRestart(s.env, 1_000) : postgresRestart(1_000),
      network: networkRoute(s.env, variable),
      member: na('a single server: see restart'),
    });
    const shared = db === 'mysql' ? { sharedFaults: ['restart'] as const } : {};
    const restarted =
      db === 'postgres'
        ? ' `restart` runs on a private PostgreSQL cluster made for the run (initdb): kill -9 of the postmaster and every backend, then a start on its data (crash recovery).'
        : ' `restart` kills the shared MariaDB server (kill -9) and starts it on its data, only with LOCKSMITH_MYSQL_MEMBER_FAULTS=1.';
    return [
      {
        name: db,
        requires: [db],
        ...shared,
        note: `Session mode. Known gap under \`cut\` and \`restart\`: ${SESSION_GAP}. Silent losses there are counted and shown, not failed.${restarted}`,
        build: (s): FaultTarget => ({
          name: db,
          client: client(s, db, pick(s, variable)),
          ...common(s),
          knownGaps: { cut: SESSION_GAP, restart: SESSION_GAP },
        }),
      },
      {
        name: `${db}-lease`,
        requires: [db],
        ...shared,
        note: `Lease mode (lease rows judged by the server clock).${restarted}`,
        build: (s): FaultTarget => ({
          name: `${db}-lease`,
          client: client(s, db, pick(s, variable), 'createLease'),
          ...common(s),
        }),
      },
    ];
  }),
];

/** The definition named `name`. @throws Error listing the known names. */
export function targetNamed(name: string): TargetDefinition {
  const found = TARGETS.find((t) => t.name === name);
  if (found === undefined)
    throw new Error(`unknown backend "${name}"; known: ${TARGETS.map((t) => t.name).join(', ')}`);
  return found;
}
