// The fault suite's input checks (before any process starts) and faults that do not run.
import { InvalidArgumentError } from '@locksmith/core';
import { describe, expect, it } from 'vitest';
import { runFault, runFaultSuite } from '../src/faults/fault-suite.ts';
import type { FaultTarget } from '../src/faults/fault-target.ts';
import { scaled } from '../src/time-scale.ts';

const target: FaultTarget = {
  name: 'nowhere',
  client: { module: '/nonexistent/client.mjs' },
  ttlMs: 1_000,
  restart: { skip: 'n/a', reason: 'no server' },
  // Nothing listens on port 9 (discard): toxiproxy cannot be reached.
  network: { toxiproxyUrl: 'http://127.0.0.1:9', endpoints: ['127.0.0.1:1'], env: () => ({}) },
  member: { skip: 'not-run', reason: 'not enabled here' },
};

const argumentOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (InvalidArgumentError.isInstance(error) ? error.argument : String(error)),
  );

describe('runFaultSuite input', () => {
  it('rejects bad options and targets naming the argument, before any worker starts', async () => {
    expect(await argumentOf(runFaultSuite(target, { workers: 1 }))).toBe('options.workers');
    expect(await argumentOf(runFaultSuite(target, { faults: ['nap' as never] }))).toBe('options.faults');
    expect(await argumentOf(runFaultSuite(target, { quick: 'yes' as never }))).toBe('options.quick');
    expect(await argumentOf(runFaultSuite(target, { speed: 2 } as never))).toBe('options.speed');
    expect(await argumentOf(runFaultSuite({ ...target, ttlMs: 0 }))).toBe('target.ttlMs');
    expect(await argumentOf(runFaultSuite({ ...target, name: '' }))).toBe('target.name');
    expect(await argumentOf(runFault({ ...target, client: { module: '' } }, 'pause'))).toBe(
      'target.client.module',
    );
  });

  it('a fault that does not run comes back with its reason, never silently', async () => {
    const result = await runFaultSuite(target, { faults: ['restart', 'latency', 'member'] });
    expect(result.outcomes).toEqual([
      { fault: 'restart', status: 'n/a', reason: 'no server' },
      {
        fault: 'latency',
        status: 'not-run',
        reason: expect.stringContaining('toxiproxy at http://127.0.0.1:9'),
      },
      { fault: 'member', status: 'not-run', reason: 'not enabled here' },
    ]);
  });

  it(
    'a client module that cannot be loaded makes the run an error, with the reason',
    async () => {
      const outcome = await runFault(target, 'pause', { timeoutMs: 60_000 });
      expect(outcome).toMatchObject({ fault: 'pause', status: 'error' });
      expect(outcome.status === 'error' && outcome.reason).toMatch(/worker \d exited before it was ready/);
    },
    scaled(60_000),
  );
});
