// @locksmith/redis against the raw floor, node-redlock and redis-semaphore, on private
// redis-server processes (one, and five for Redlock), so nothing else runs on them. Not a test:
//
//   pnpm exec tsx packages/redis/bench/redis-bench.ts [--duration 8000] [--only uncontended,contended,renewal]
//
// Prints Markdown tables (medians of one run) and writes the figures as JSON next to it.
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Lease } from '@locksmith/core';
import type { Redis } from 'ioredis';
import { Mutex } from 'redis-semaphore';
import { redisLocks } from '../src/index.ts';
import { PrivateRedis } from '../test/private-redis.ts';
import { connect, MECHANISMS, type Mechanism, type Servers } from './mechanisms.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '8000' },
    only: { type: 'string', default: 'uncontended,contended,renewal' },
    iterations: { type: 'string', default: '1000' },
  },
});
const only = new Set(values.only.split(','));
const results: Record<string, unknown> = { node: process.version, date: new Date().toISOString() };

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
const f = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : '—');

async function uncontended(servers: Servers) {
  const names = [
    'floor',
    'locksmith',
    'node-redlock',
    'redis-semaphore',
    'floor-x5',
    'locksmith-redlock-x5',
    'node-redlock-x5',
    'redis-semaphore-redlock-x5',
  ];
  const mechanisms = new Map<string, Mechanism>();
  for (const name of names) mechanisms.set(name, await MECHANISMS[name]!(servers));
  const latencies = new Map<string, number[]>(names.map((n) => [n, []]));
  const iterations = Number(values.iterations);
  const run = async (name: string, count: number, record: boolean) => {
    const m = mechanisms.get(name)!;
    const key = `bench-uncontended-${name}`;
    for (let i = 0; i < count; i += 1) {
      const t0 = performance.now();
      const held = await m.acquire(key);
      await held.release();
      if (record) latencies.get(name)!.push(performance.now() - t0);
    }
  };
  for (const name of names) await run(name, 300, false); // warm-up: JIT, script cache, connections
  for (let round = 0; round < 5; round += 1) for (const name of names) await run(name, iterations, true);
  for (const m of mechanisms.values()) await m.close();
  const floor = { single: 0, x5: 0 };
  const rows = names.map((name) => {
    const sorted = latencies.get(name)!.sort((a, b) => a - b);
    const p50 = quantile(sorted, 0.5);
    if (name === 'floor') floor.single = p50;
    if (name === 'floor-x5') floor.x5 = p50;
    const base = name.endsWith('x5') ? floor.x5 : floor.single;
    return {
      name,
      p50,
      p99: quantile(sorted, 0.99),
      p999: quantile(sorted, 0.999),
      vsFloor: p50 / base,
      opsPerSec: 1000 / (sorted.reduce((a, b) => a + b, 0) / sorted.length),
    };
  });
  results.uncontended = rows;
  console.log(`\n### Uncontended acquire+release (${5 * iterations} samples each, ms)\n`);
  console.log('| mechanism | p50 | p99 | p99.9 | p50 / floor | ops/s |\n|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.name} | ${f(r.p50)} | ${f(r.p99)} | ${f(r.p999)} | ${f(r.vsFloor, 2)}x | ${f(r.opsPerSec, 0)} |`,
    );
}

async function serverCommands(client: Redis): Promise<number> {
  const info = await client.info('commandstats');
  let total = 0;
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
    if (!/^(info|config)/.test(m[1] ?? '')) total += Number(m[2]);
  return total;
}

async function contended(servers: Servers) {
  const workers = 8;
  const durationMs = Number(values.duration);
  const names = [
    'locksmith',
    'node-redlock',
    'node-redlock-fast',
    'redis-semaphore',
    'redis-semaphore-fast',
    'locksmith-redlock-x5',
  ];
  const rows = [];
  for (const name of names) {
    const admin = [servers.single, ...servers.redlock].map(connect);
    const watched = name.endsWith('x5') ? admin.slice(1) : admin.slice(0, 1);
    const children = Array.from({ length: workers }, () =>
      fork(new URL('./contended-worker.ts', import.meta.url).pathname, [], {
        execArgv: ['--import', 'tsx'],
        stdio: 'inherit',
      }),
    );
    const start = {
      mechanism: name,
      servers,
      key: `bench-contended-${name}-${Date.now()}`,
      durationMs,
      criticalMs: 1,
      thinkMs: 1,
    };
    await Promise.all(
      children.map(
        (c) =>
          new Promise((resolve) => {
            c.once('message', resolve);
            c.send(start);
          }),
      ),
    );
    for (const a of watched) await a.config('RESETSTAT');
    const done = children.map(
      (c) =>
        new Promise<{ samples: number[]; failures: number; commands: number }>((resolve) =>
          c.once('message', resolve as never),
        ),
    );
    for (const c of children) c.send('go');
    const reports = await Promise.all(done);
    let server = 0;
    for (const a of watched) server += await serverCommands(a);
    for (const a of admin) a.disconnect();
    const acquisitions: { worker: number; requested: number; acquired: number; releasing: number }[] = [];
    reports.forEach((r, worker) => {
      for (let i = 0; i < r.samples.length; i += 4)
        acquisitions.push({
          worker,
          requested: r.samples[i]!,
          acquired: r.samples[i + 1]!,
          releasing: r.samples[i + 2]!,
        });
    });
    acquisitions.sort((a, b) => a.acquired - b.acquired);
    const handoffs: number[] = [];
    for (let i = 1; i < acquisitions.length; i += 1) {
      const prev = acquisitions[i - 1]!;
      const next = acquisitions[i]!;
      if (next.requested < prev.releasing) handoffs.push((next.acquired - prev.releasing) / 1e6);
    }
    const waits = acquisitions.map((a) => (a.acquired - a.requested) / 1e6).sort((a, b) => a - b);
    handoffs.sort((a, b) => a - b);
    const perWorker = reports.map((r) => r.samples.length / 4);
    const jain =
      perWorker.reduce((a, b) => a + b, 0) ** 2 /
      (perWorker.length * perWorker.reduce((a, b) => a + b * b, 0));
    const n = acquisitions.length;
    const row = {
      name,
      acquisitions: n,
      throughput: n / (durationMs / 1000),
      handoffP50: quantile(handoffs, 0.5),
      handoffP99: quantile(handoffs, 0.99),
      waitP50: quantile(waits, 0.5),
      waitP99: quantile(waits, 0.99),
      waitMax: waits[waits.length - 1] ?? Number.NaN,
      clientCommandsPerAcquisition: reports.reduce((a, r) => a + r.commands, 0) / n,
      serverCommandsPerAcquisition: server / n,
      failures: reports.reduce((a, r) => a + r.failures, 0),
      jain,
    };
    rows.push(row);
    console.error(`contended ${name}: ${n} acquisitions`);
  }
  results.contended = rows;
  const best = Math.max(...rows.filter((r) => !r.name.startsWith('locksmith')).map((r) => r.throughput));
  console.log(
    `\n### Contended: ${workers} worker processes, one key, 1 ms critical section, 1 ms think, ${durationMs} ms\n`,
  );
  console.log(
    '| mechanism | acq/s | vs best peer | handoff p50 | handoff p99 | wait p50 | wait p99 | wait max | cmds/acq (sent) | cmds/acq (server, incl. in scripts) | gave up | Jain |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${f(r.throughput, 0)} | ${f(r.throughput / best, 2)}x | ${f(r.handoffP50)} | ${f(r.handoffP99)} | ${f(r.waitP50, 2)} | ${f(r.waitP99, 2)} | ${f(r.waitMax, 1)} | ${f(r.clientCommandsPerAcquisition, 2)} | ${f(r.serverCommandsPerAcquisition, 1)} | ${r.failures} | ${f(r.jain, 3)} |`,
    );
  }
}

/** Counts round trips (script calls and pipelines) and commands a client sends. */
function counted(client: Redis) {
  const counts = { roundTrips: 0, commands: 0 };
  for (const method of ['evalsha', 'eval', 'pipeline'] as const) {
    const original = client[method].bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      counts.roundTrips += 1;
      return original(...args);
    };
  }
  const send = client.sendCommand.bind(client);
  client.sendCommand = ((...args: Parameters<typeof send>) => {
    counts.commands += 1;
    return send(...args);
  }) as typeof client.sendCommand;
  return counts;
}

async function serverCpuMs(client: Redis): Promise<number> {
  const info = await client.info('cpu');
  const user = Number(info.match(/used_cpu_user:([\d.]+)/)?.[1]);
  const sys = Number(info.match(/used_cpu_sys:([\d.]+)/)?.[1]);
  return (user + sys) * 1000;
}

async function renewal(servers: Servers) {
  const ttlMs = 9_000;
  const periodMs = 3_000; // renewal every ttl / 3 (both libraries set to the same period)
  const periods = 3;
  const rows = [];
  // This process's CPU while holding nothing, for the same window: the baseline to subtract.
  const idle0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, periodMs * periods));
  const idle = process.cpuUsage(idle0);
  rows.push({
    name: 'idle (no leases)',
    leases: 0,
    roundTripsPerPeriod: 0,
    commandsPerPeriod: 0,
    clientCpuMsPerPeriod: (idle.user + idle.system) / 1000 / periods,
    serverCpuMsPerPeriod: Number.NaN,
  });
  for (const count of [1_000, 10_000]) {
    for (const name of ['locksmith', 'redis-semaphore']) {
      const client = connect(servers.single);
      const admin = connect(servers.single);
      const counts = counted(client);
      const release: (() => Promise<unknown>)[] = [];
      let close = async () => undefined as unknown;
      if (name === 'locksmith') {
        const locks = redisLocks({ client });
        for (let i = 0; i < count; i += 500) {
          const batch = await Promise.all(
            Array.from({ length: Math.min(500, count - i) }, (_, j) =>
              locks.acquire(`bench-renew-${count}-${i + j}`, { ttlMs }),
            ),
          );
          release.push(...batch.map((l: Lease) => () => l.release()));
        }
        close = () => locks.close();
      } else {
        for (let i = 0; i < count; i += 500) {
          const batch = await Promise.all(
            Array.from({ length: Math.min(500, count - i) }, async (_, j) => {
              const m = new Mutex(client, `bench-renew-s-${count}-${i + j}`, {
                lockTimeout: ttlMs,
                refreshInterval: periodMs,
              });
              await m.acquire();
              return m;
            }),
          );
          release.push(...batch.map((m) => () => m.release()));
        }
      }
      // Let one renewal pass first (warm-up), then measure whole periods.
      await new Promise((r) => setTimeout(r, periodMs + 500));
      counts.roundTrips = 0;
      counts.commands = 0;
      const cpu0 = process.cpuUsage();
      const server0 = await serverCpuMs(admin);
      await new Promise((r) => setTimeout(r, periodMs * periods));
      const cpu = process.cpuUsage(cpu0);
      const server = (await serverCpuMs(admin)) - server0;
      const row = {
        name,
        leases: count,
        roundTripsPerPeriod: counts.roundTrips / periods,
        commandsPerPeriod: counts.commands / periods,
        clientCpuMsPerPeriod: (cpu.user + cpu.system) / 1000 / periods,
        serverCpuMsPerPeriod: server / periods,
      };
      rows.push(row);
      console.error(`renewal ${name} ${count}: done`);
      for (let i = 0; i < release.length; i += 500)
        await Promise.all(release.slice(i, i + 500).map((r) => r()));
      await close();
      client.disconnect();
      admin.disconnect();
    }
  }
  results.renewal = rows;
  console.log(
    `\n### Held leases renewed (TTL ${ttlMs} ms, renewal every ${periodMs} ms; per renewal period, mean of ${periods})\n`,
  );
  console.log(
    '| mechanism | leases | round trips | commands | client CPU ms | server CPU ms |\n|---|---|---|---|---|---|',
  );
  for (const r of rows)
    console.log(
      `| ${r.name} | ${r.leases} | ${f(r.roundTripsPerPeriod, 1)} | ${f(r.commandsPerPeriod, 0)} | ${f(r.clientCpuMsPerPeriod, 1)} | ${f(r.serverCpuMsPerPeriod, 1)} |`,
    );
}

const single = await PrivateRedis.start();
const redlock = await Promise.all([1, 2, 3, 4, 5].map(() => PrivateRedis.start()));
const servers: Servers = { single: single.url, redlock: redlock.map((s) => s.url) };
const version = await connect(servers.single)
  .info('server')
  .then((i) => i.match(/redis_version:(\S+)/)?.[1]);
results.redis = version;
console.log(`Redis ${version}, Node ${process.version}, private servers on 127.0.0.1`);
try {
  if (only.has('uncontended')) await uncontended(servers);
  if (only.has('contended')) await contended(servers);
  if (only.has('renewal')) await renewal(servers);
} finally {
  await Promise.all([single, ...redlock].map((s) => s.stop()));
}
const out = new URL(`./results-${new Date().toISOString().slice(0, 10)}.json`, import.meta.url);
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwritten ${out.pathname}`);
process.exit(0);
