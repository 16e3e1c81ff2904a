// Real servers: `up` brings every service healthy (clusters with one leader), `up` again changes
// nothing, each Raft/ZAB cluster keeps accepting writes with its leader killed and takes the member
// back, and pause/resume and the toxiproxy helpers do what fault tests expect of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EnsureResult, ensureBackends } from '../src/ensure.ts';
import { down, status, up } from '../src/launcher.ts';
import { killMember, pauseMember, resumeMember, startMember } from '../src/members.ts';
import { http } from '../src/probes/http.ts';
import { redisWriteRead, respCommands } from '../src/probes/resp.ts';
import { portOpen } from '../src/probes/tcp.ts';
import { zookeeperWriteRead } from '../src/probes/zookeeper-wire.ts';
import { processState } from '../src/processes.ts';
import { HOST, type Member, SERVICE_NAMES, type ServiceName, service } from '../src/topology.ts';
import { toxics } from '../src/toxics.ts';

let ensured: EnsureResult;

beforeAll(async () => {
  ensured = await ensureBackends(SERVICE_NAMES);
  for (const r of ensured.results)
    console.log(`[backends] ${r.service}: ${r.state} in ${r.ms} ms - ${r.reason ?? r.detail}`);
});

// Leave the machine as we found it: stop what this file started (LOCKSMITH_KEEP_BACKENDS=1 keeps it).
afterAll(async () => {
  if (process.env.LOCKSMITH_KEEP_BACKENDS !== '1' && ensured.started.length > 0) await down(ensured.started);
});

/** Skips the test with the launcher's reason when a service this test needs did not start. */
function need(skip: (note: string) => void, ...names: ServiceName[]) {
  for (const n of names) {
    const why = ensured.skipped[n];
    if (why !== undefined) skip(`${n} unavailable: ${why}`);
  }
}

/** One write through the given member, as each cluster's clients would do it. */
async function write(m: Member): Promise<void> {
  const port = m.ports.client;
  const value = Buffer.from(`v${Math.random()}`).toString('base64');
  if (m.service === 'etcd') {
    const res = await http(`http://${HOST}:${port}/v3/kv/put`, {
      body: { key: Buffer.from('fault/k').toString('base64'), value },
    });
    if (res.status !== 200) throw new Error(`etcd put -> ${res.status} ${res.body}`);
  } else if (m.service === 'zookeeper') {
    await zookeeperWriteRead(port ?? 0, 3000);
  } else {
    const res = await http(`http://${HOST}:${port}/v1/kv/fault/k`, { method: 'PUT', body: value });
    if (res.body.trim() !== 'true') throw new Error(`consul put -> ${res.status} ${res.body}`);
  }
}

async function writeWithin(m: Member, ms: number): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    try {
      await write(m);
      return Math.round(performance.now() - t0);
    } catch (err) {
      if (performance.now() - t0 > ms) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('pnpm backends up', () => {
  it('brings every service healthy, each cluster with exactly one leader', async ({ skip }) => {
    need(skip, ...SERVICE_NAMES);
    const report = await status();
    for (const s of report.services) {
      expect(s.health.ok, `${s.service}: ${s.health.detail}`).toBe(true);
      if (service(s.service).cluster)
        expect(s.health.members.filter((m) => m.role === 'leader')).toHaveLength(1);
    }
  });

  it('is harmless when everything already serves', async ({ skip }) => {
    need(skip, 'redis', 'redlock');
    const again = await up(['redis', 'redlock']);
    expect(again.map((r) => r.state)).toEqual(['running', 'running']);
  });
});

describe('pnpm backends down', () => {
  it('stops what up started and nothing else, and up starts it again', async ({ skip }) => {
    need(skip, 'redlock');
    const members = service('redlock').members;
    const systemRedis = await portOpen(6379); // a server of the machine's own, if any: not ours to stop
    const { stopped } = await down(['redlock']);
    expect(stopped).toEqual(members.map((m) => m.name));
    for (const m of members) {
      expect(processState(m.name)).toBe('stopped');
      expect(await portOpen(m.ports.client ?? 0)).toBe(false);
    }
    expect(await portOpen(service('redis').members[0]?.ports.client ?? 0)).toBe(true);
    expect(await portOpen(6379)).toBe(systemRedis);
    const [again] = await up(['redlock']);
    expect(again?.state).toBe('started');
  });
});

describe.each(['etcd', 'zookeeper', 'consul'] as const)('a %s cluster with its leader killed', (name) => {
  it('keeps accepting writes, and takes the restarted member back', async ({ skip }) => {
    need(skip, name);
    const before = await status([name]);
    const leaderName = before.services[0]?.health.members.find((m) => m.role === 'leader')?.name;
    const leader = service(name).members.find((m) => m.name === leaderName);
    const survivor = service(name).members.find((m) => m.name !== leaderName);
    if (leader === undefined || survivor === undefined)
      throw new Error(`no leader in ${name}: ${before.services[0]?.health.detail}`);

    await killMember(leader.name);
    const ms = await writeWithin(survivor, 30_000);
    console.log(
      `[backends] ${name}: write through ${survivor.name} succeeded ${ms} ms after killing leader ${leader.name}`,
    );

    expect(await startMember(leader.name)).toMatch(/leader|follower/);
    const after = await status([name]);
    expect(after.services[0]?.health.ok, after.services[0]?.health.detail).toBe(true);
  });
});

describe('one process paused', () => {
  it('stops answering until resumed', async ({ skip }) => {
    need(skip, 'redlock');
    await pauseMember('redlock-2');
    try {
      await expect(respCommands(17102, [['PING']], 300)).rejects.toThrow(/no Redis reply/);
      expect(
        (await status(['redlock'])).services[0]?.members.find((m) => m.name === 'redlock-2')?.process,
      ).toBe('paused');
    } finally {
      await resumeMember('redlock-2');
    }
    await redisWriteRead(17102);
  });
});

describe('toxics', () => {
  const proxied = () => service('redis').members[0]?.proxyPort ?? 0;

  it('adds latency, cuts and restores the Redis proxy', async ({ skip }) => {
    need(skip, 'redis', 'toxiproxy');
    const redis = toxics('redis');
    try {
      await redisWriteRead(proxied());
      await redis.latency(150, { streams: ['downstream'] });
      const t0 = performance.now();
      await respCommands(proxied(), [['PING']]);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
      await redis.cut();
      await expect(respCommands(proxied(), [['PING']], 1000)).rejects.toThrow();
    } finally {
      await redis.reset();
    }
    const t1 = performance.now();
    await redisWriteRead(proxied());
    expect(performance.now() - t1).toBeLessThan(140);
  });
});
