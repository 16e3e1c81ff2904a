// ZooKeeper: a 3-node ZAB ensemble run straight from the Debian jars (java + QuorumPeerMain), with
// the admin server off and the four-letter words the health check uses whitelisted. Sessions may
// last up to 60 s, and empty container nodes are swept every second.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BackendDriver, combineHealth } from '../driver.ts';
import { dataDir, ensureDir, findBinary } from '../paths.ts';
import { fourLetterWord, zookeeperMode, zookeeperWriteRead } from '../probes/zookeeper-wire.ts';
import { clientPort, HOST, type Member, service } from '../topology.ts';

const JAR_DIRS = [process.env.LOCKSMITH_ZOOKEEPER_LIB, '/usr/share/java', '/usr/share/zookeeper/lib'];

function zookeeperJar(): string | undefined {
  for (const dir of JAR_DIRS) {
    if (dir !== undefined && existsSync(join(dir, 'zookeeper.jar'))) return join(dir, 'zookeeper.jar');
  }
  return undefined;
}

function classpath(): string {
  const jar = zookeeperJar() ?? 'zookeeper.jar';
  // Debian's zookeeper.jar names its dependencies in its manifest; slf4j-simple makes it log to stderr.
  const logger = join(jar, '..', 'slf4j-simple.jar');
  return [jar, ...(existsSync(logger) ? [logger] : [])].join(':');
}

function config(m: Member): string {
  const servers = service('zookeeper').members.map(
    (p) => `server.${p.index}=${HOST}:${p.ports.quorum}:${p.ports.election}`,
  );
  return [
    'tickTime=1000',
    // Room for locksmith's default 30 s lease: a lock's ttlMs may not exceed the session timeout.
    'maxSessionTimeout=60000',
    'initLimit=10',
    'syncLimit=5',
    `dataDir=${dataDir(m.name)}`,
    `clientPort=${clientPort(m)}`,
    `clientPortAddress=${HOST}`,
    'admin.enableServer=false',
    '4lw.commands.whitelist=srvr,mntr,ruok,stat,conf',
    'standaloneEnabled=false',
    'maxClientCnxns=0',
    ...servers,
    '',
  ].join('\n');
}

export const zookeeper: BackendDriver = {
  service: 'zookeeper',
  readyTimeoutMs: 60_000,
  requirements() {
    if (findBinary('java') === undefined)
      return 'java not found; apt-get install default-jre-headless (Java 11+)';
    if (zookeeperJar() === undefined) {
      return 'zookeeper.jar not found in /usr/share/java; run scripts/install-backends.sh (apt-get install zookeeper)';
    }
    return undefined;
  },
  async prepare(m: Member) {
    const dir = ensureDir(dataDir(m.name));
    writeFileSync(join(dir, 'myid'), `${m.index}\n`);
    writeFileSync(join(dir, 'zoo.cfg'), config(m));
  },
  command(m: Member) {
    return {
      cmd: findBinary('java') ?? 'java',
      args: [
        '-Xms64m',
        '-Xmx256m',
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        '-Dzookeeper.jmx.log4j.disable=true',
        // Empty lock parents (container nodes) go within a second, not a minute: tests can see it.
        '-Dznode.container.checkIntervalMs=1000',
        '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
        '-Dorg.slf4j.simpleLogger.showDateTime=true',
        '-cp',
        classpath(),
        'org.apache.zookeeper.server.quorum.QuorumPeerMain',
        join(dataDir(m.name), 'zoo.cfg'),
      ],
    };
  },
  async memberHealth(m: Member) {
    const mode = await zookeeperMode(clientPort(m));
    const ok = mode === 'leader' || mode === 'follower';
    return { ok, role: mode, detail: ok ? mode : `mode ${mode}` };
  },
  serviceHealth(members) {
    return combineHealth(zookeeper, members, async (healths) => {
      const leaders = healths.filter((h) => h.role === 'leader');
      if (leaders.length !== 1) throw new Error(`${leaders.length} leaders`);
      const first = members[0];
      if (first === undefined) throw new Error('no members');
      await zookeeperWriteRead(clientPort(first));
      const synced = /zk_synced_followers\s+(\d+)/.exec(
        await fourLetterWord(clientPort(members.find((m) => m.name === leaders[0]?.name) ?? first), 'mntr'),
      )?.[1];
      return `leader ${leaders[0]?.name}, ${healths.length - 1} followers${synced === undefined ? '' : ` (${synced} synced)`}, create/get ok`;
    });
  },
};
