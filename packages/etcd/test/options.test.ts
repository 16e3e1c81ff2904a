// Bad options reject with InvalidArgumentError naming the option, before any I/O: the client here
// points at a port nobody listens on and is never used.
import { InvalidArgumentError } from '@locksmith/core';
import { Etcd3 } from 'etcd3';
import { afterAll, describe, expect, it } from 'vitest';
import { etcdLocks } from '../src/index.ts';

const client = new Etcd3({ hosts: ['http://127.0.0.1:1'] });
afterAll(() => client.close());

function argumentOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (InvalidArgumentError.isInstance(error)) return error.argument;
    throw error;
  }
  return undefined;
}

describe('etcdLocks options', () => {
  it.each([
    ['no options', undefined, 'options'],
    ['options that are not an object', 5, 'options'],
    ['no client', {}, 'options.client'],
    ['a client that is not etcd3', { client: {} }, 'options.client'],
    ['an etcd3 Namespace', { client: client.namespace('app/') }, 'options.client'],
    ['an unknown option', { client, ttl: 3 }, 'options.ttl'],
    ['an empty prefix', { client, prefix: '' }, 'options.prefix'],
    ['a prefix ending in /', { client, prefix: 'a/' }, 'options.prefix'],
    ['a prefix that is not a string', { client, prefix: 7 }, 'options.prefix'],
    ['a bad lease timing', { client, lease: { renewFraction: 2 } }, 'options.lease.renewFraction'],
    ['a clock without now()', { client, clock: {} }, 'options.clock'],
  ])('rejects %s', (_what, options, argument) => {
    expect(argumentOf(() => etcdLocks(options as never))).toBe(argument);
  });

  it('makes no request until the first acquire, and close() leaves the client open', async () => {
    const locks = etcdLocks({ client, prefix: 'p' });
    expect(locks.backend).toBe('etcd');
    expect(locks.capabilities).toEqual({
      fencing: 'strict',
      wait: 'push',
      fifo: true,
      primitives: ['lock', 'elect'],
    });
    await locks.close();
    // The user's client is still usable: building a request on it does not throw "closed".
    expect(() => client.get('x')).not.toThrow();
  });
});
