// The report and the command line, without servers: a results.json renders into a table whose
// verdicts follow unsafeCounts, with every note escaped, and one timeline per fault.
import type { FaultRunResult } from '@locksmith/testkit';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/args.ts';
import { chartsOf } from '../src/report/charts.ts';
import { htmlReport } from '../src/report/html.ts';
import { markdownReport } from '../src/report/markdown.ts';
import { rowsOf } from '../src/report/rows.ts';
import type { FaultsResults } from '../src/results.ts';
import { networkRoute } from '../src/targets/network-route.ts';

const counts = {
  counter: 9,
  writesAccepted: 9,
  incrementsLost: 0,
  overlaps: 1,
  maxConcurrent: 2,
  staleReadsRejected: 0,
  staleWritesRejected: 1,
  staleWritesAccepted: 0,
  acquisitions: 10,
  acquireErrors: {},
  leasesLost: { expired: 1 },
  superseded: 1,
  signalledBeforeSuccessor: 0,
  lostAtFirstLook: 1,
  silentLosses: 0,
  holdersKilled: 0,
  workersKilled: 0,
  unhandledRejections: 0,
  uncaughtExceptions: 0,
  releaseErrors: 0,
  recoveryMs: 12,
  freshAcquireMs: 3,
};

const run = (overrides: Partial<FaultRunResult> = {}): FaultRunResult => ({
  fault: 'pause',
  status: 'ran',
  fencing: 'strict',
  ttlMs: 1_000,
  workers: 2,
  durationMs: 5_000,
  counts,
  injections: [{ label: 'worker 0 paused <b>', startMs: 100, endMs: 1_400, lane: 0, recoveryMs: 12 }],
  failures: [],
  leases: [
    {
      lane: 0,
      iteration: 0,
      token: '1',
      acquiredAt: 90,
      releasingAt: 1_450,
      lostAt: 1_420,
      lostReason: 'expired',
      successorAt: 1_200,
      verdict: 'lost-at-first-look',
    },
    { lane: 1, iteration: 0, token: '2', acquiredAt: 1_200, releasingAt: 1_300 },
  ],
  events: [
    { type: 'worker-start', lane: 0, t: 0, pid: 1 },
    { type: 'worker-start', lane: 1, t: 0, pid: 2 },
  ],
  ...overrides,
});

const results = (outcomes: FaultsResults['targets'][number]['outcomes']): FaultsResults => ({
  id: 'test',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 10_000,
  machine: { cpus: 2, cpuModel: 'cpu', node: 'v20', platform: 'linux x64', load: [1, 1] },
  options: { quick: true, workers: 2, faults: ['pause', 'kill', 'cut'], backends: ['toy'] },
  servers: {},
  targets: [{ name: 'toy', note: 'a <note>', outcomes }],
});

describe('the report', () => {
  it('judges each row by unsafeCounts, says why a fault did not run, and escapes every note', () => {
    const r = results([
      run(),
      run({ fault: 'kill', counts: { ...counts, silentLosses: 2 } }),
      run({ fault: 'cut', counts: { ...counts, silentLosses: 1 }, knownGap: 'documented' }),
      { fault: 'member', status: 'not-run', reason: 'opt-in' },
    ]);
    expect(rowsOf(r).map((row) => [row.fault, row.verdict])).toEqual([
      ['pause', 'pass'],
      ['kill', 'FAIL'],
      ['cut', 'known gap'],
      ['member', 'not run'],
    ]);
    const charts = chartsOf(r);
    expect(charts.map((c) => c.fault)).toEqual(['pause', 'kill', 'cut']);
    const html = htmlReport(r, rowsOf(r), charts);
    expect(html).toContain('worker 0 paused &lt;b&gt;');
    expect(html).toContain('a &lt;note&gt;');
    expect(html).not.toContain('%20');
    expect(html.match(/<svg /g)).toHaveLength(3);
    const md = markdownReport(r, rowsOf(r), charts);
    expect(md).toContain('**1 failed:** toy kill');
    expect(md).toContain('![pause](charts/pause.svg)');
  });
});

describe('the command line', () => {
  it('parses the selection and rejects what it does not know, naming it', () => {
    expect(parseArgs(['--backends', 'redis,etcd', '--faults=pause,cut', '--quick'])).toMatchObject({
      command: 'run',
      options: { backends: ['redis', 'etcd'], faults: ['pause', 'cut'], quick: true },
    });
    expect(() => parseArgs(['--faults', 'nap'])).toThrow(/--faults: unknown nap/);
    expect(() => parseArgs(['--backends', 'oracle'])).toThrow(/--backends: unknown oracle/);
    expect(() => parseArgs(['--workers', '1'])).toThrow(/--workers/);
    expect(parseArgs(['report', 'x'])).toEqual({ command: 'report', dir: 'x' });
  });
});

describe('networkRoute', () => {
  it('rewrites each server address of a setting to the proxy given for it', () => {
    const env = {
      LOCKSMITH_TOXIPROXY_URL: 'http://127.0.0.1:8474',
      LOCKSMITH_POSTGRES_URL: 'postgres://postgres@127.0.0.1:5432/locksmith',
      LOCKSMITH_ZOOKEEPER_HOSTS: '127.0.0.1:2181,127.0.0.1:2182',
    };
    const pg = networkRoute(env, 'LOCKSMITH_POSTGRES_URL');
    if ('skip' in pg) throw new Error(pg.reason);
    expect(pg.endpoints).toEqual(['127.0.0.1:5432']);
    expect(pg.env(['127.0.0.1:40001'])).toEqual({
      LOCKSMITH_POSTGRES_URL: 'postgres://postgres@127.0.0.1:40001/locksmith',
    });
    const zk = networkRoute(env, 'LOCKSMITH_ZOOKEEPER_HOSTS');
    if ('skip' in zk) throw new Error(zk.reason);
    expect(zk.env(['127.0.0.1:1', '127.0.0.1:2'])).toEqual({
      LOCKSMITH_ZOOKEEPER_HOSTS: '127.0.0.1:1,127.0.0.1:2',
    });
    expect(networkRoute({}, 'LOCKSMITH_POSTGRES_URL')).toMatchObject({ skip: 'not-run' });
  });
});
