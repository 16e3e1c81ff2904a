// The fault suite against the toy lock server (test/fixtures): a correct client keeps every count
// at 0 under pause and kill; a client that never learns it lost a lease is caught (silent losses).
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unsafeCounts } from '../src/faults/fault-result.ts';
import { runFault, runFaultSuite } from '../src/faults/fault-suite.ts';
import type { FaultTarget } from '../src/faults/fault-target.ts';
import { scaled } from '../src/time-scale.ts';
import { startToyLockServer, type ToyLockServer } from './fixtures/toy-lock-server.ts';

const module = fileURLToPath(new URL('./fixtures/toy-lease-client.ts', import.meta.url));
let server: ToyLockServer;
beforeAll(async () => {
  server = await startToyLockServer();
});
afterAll(() => server?.close());

const target = (broken = false): FaultTarget => ({
  name: broken ? 'toy (broken)' : 'toy',
  client: { module, env: { LOCKSMITH_TOY_URL: server.url, ...(broken ? { TOY_BROKEN: 'silent' } : {}) } },
  ttlMs: 300,
  takeoverMs: 3_000,
  restart: { skip: 'n/a', reason: 'the toy server lives in the test process' },
  network: { skip: 'n/a', reason: 'not through toxiproxy here' },
  member: { skip: 'n/a', reason: 'one toy server' },
});

describe('runFaultSuite on the toy lock server', () => {
  it(
    'pause and kill: a correct client loses leases loudly, the fence rejects the stale writes',
    async () => {
      const lines: string[] = [];
      const result = await runFaultSuite(target(), {
        faults: ['pause', 'kill', 'restart'],
        quick: true,
        workers: 2,
        onProgress: (l) => lines.push(l),
      });
      const [pause, kill, restart] = result.outcomes;
      expect(restart).toEqual({
        fault: 'restart',
        status: 'n/a',
        reason: 'the toy server lives in the test process',
      });
      if (pause?.status !== 'ran' || kill?.status !== 'ran') throw new Error(JSON.stringify(result.outcomes));
      expect(unsafeCounts(pause), JSON.stringify(pause.counts)).toEqual({});
      expect(unsafeCounts(kill), JSON.stringify(kill.counts)).toEqual({});
      expect(pause.counts.superseded, 'the paused holder was superseded').toBeGreaterThan(0);
      expect(pause.counts.staleWritesRejected, 'its late write was rejected').toBeGreaterThan(0);
      expect(pause.counts.lostAtFirstLook + pause.counts.signalledBeforeSuccessor).toBe(
        pause.counts.superseded,
      );
      expect(kill.counts.workersKilled).toBe(2);
      expect(kill.injections.every((i) => i.recoveryMs !== null)).toBe(true);
      expect(lines.some((l) => l.includes('paused'))).toBe(true);
    },
    scaled(120_000),
  );

  it(
    'a client that never learns it lost its lease shows as silent losses',
    async () => {
      const pause = await runFault(target(true), 'pause', { quick: true, workers: 2 });
      if (pause.status !== 'ran') throw new Error(JSON.stringify(pause));
      expect(pause.counts.silentLosses, JSON.stringify(pause.counts)).toBeGreaterThan(0);
      expect(unsafeCounts(pause)).toHaveProperty('silentLosses');
    },
    scaled(120_000),
  );
});
