// Bad options reject with InvalidArgumentError naming the option, before any I/O: the clients
// here are never connected (lazyConnect), and nothing is sent.
import { argumentOf } from '@locksmith/test-utils';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisLocks } from '../src/index.ts';

const lazy = (port: number) => new Redis({ port, lazyConnect: true });
const a = lazy(1);
const b = lazy(2);
const c = lazy(3);
afterAll(() => {
  for (const x of [a, b, c]) x.disconnect();
});

describe('redisLocks options', () => {
  it.each([
    ['no options', undefined, 'options'],
    ['neither client nor clients', {}, 'options'],
    ['both client and clients', { client: a, clients: [a, b, c] }, 'options'],
    ['an unknown option', { client: a, retries: 3 }, 'options.retries'],
    ['a client that is not ioredis', { client: {} }, 'options.client'],
    ['two Redlock servers', { clients: [a, b] }, 'options.clients'],
    ['the same Redlock client twice', { clients: [a, b, a] }, 'options.clients[2]'],
    ['two clients of one server', { clients: [a, b, lazy(1)] }, 'options.clients[2]'],
    ['clients that is not an array', { clients: a }, 'options.clients'],
    ['a bad prefix', { client: a, prefix: 'a{b' }, 'options.prefix'],
    ['a zero poll interval', { client: a, pollIntervalMs: 0 }, 'options.pollIntervalMs'],
    ['a fractional poll interval', { client: a, pollIntervalMs: 1.5 }, 'options.pollIntervalMs'],
    ['a bad lease timing', { client: a, lease: { renewFraction: 2 } }, 'options.lease.renewFraction'],
    ['a lease timing that is not an object', { client: a, lease: 5 }, 'options.lease'],
    ['a clock without now()', { client: a, clock: {} }, 'options.clock'],
  ])('rejects %s', (_what, options, argument) => {
    expect(argumentOf(() => redisLocks(options as never))).toBe(argument);
  });

  it('rejects an ioredis Cluster (not tested against a real cluster)', () => {
    const fake = Object.assign(Object.create(Redis.prototype) as object, { isCluster: true });
    expect(argumentOf(() => redisLocks({ client: fake as Redis }))).toBe('options.client');
  });

  it('property: any unknown option name is rejected by name', () => {
    const known = new Set(['client', 'clients', 'prefix', 'pollIntervalMs', 'lease', 'clock']);
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !known.has(k) && k !== '__proto__'),
        fc.anything(),
        (name, value) => {
          expect(argumentOf(() => redisLocks({ client: a, [name]: value } as never))).toBe(`options.${name}`);
        },
      ),
    );
  });

  it('property: poll intervals that are not positive integers are rejected', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ max: 0 }), fc.double({ noInteger: true }), fc.string(), fc.constant(null)),
        (pollIntervalMs) => {
          expect(argumentOf(() => redisLocks({ client: a, pollIntervalMs } as never))).toBe(
            'options.pollIntervalMs',
          );
        },
      ),
    );
  });

  it('accepts valid options without connecting', async () => {
    const locks = redisLocks({
      client: a,
      prefix: 'app',
      pollIntervalMs: 250,
      lease: { renewFraction: 0.5 },
    });
    expect(locks.backend).toBe('redis');
    expect(locks.capabilities).toEqual({ fencing: 'strict', wait: 'push', fifo: true, primitives: ['lock'] });
    const redlock = redisLocks({ clients: [a, b, c] });
    expect(redlock.backend).toBe('redlock');
    expect(redlock.capabilities).toMatchObject({ fencing: 'best-effort', fifo: false, wait: 'push' });
    await Promise.all([locks.close(), redlock.close()]);
    expect(a.status).toBe('wait');
  });
});
