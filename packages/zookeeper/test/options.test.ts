// Bad options reject with InvalidArgumentError naming the option, before any I/O: the client here
// points at a port nobody listens on and is never connected.
import { argumentOf } from '@locksmith/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { zookeeperLocks } from '../src/index.ts';
import { ZooKeeper } from './servers.ts';

const client = new ZooKeeper({ connect: '127.0.0.1:1', timeout: 2_000 }); // never init()ed: no I/O
afterAll(() => client.close());

describe('zookeeperLocks options', () => {
  it.each([
    ['no options', undefined, 'options'],
    ['options that are not an object', 5, 'options'],
    ['no client', {}, 'options.client'],
    ['a client that is not a zookeeper client', { client: { a_create() {} } }, 'options.client'],
    ['an unknown option', { client, ttl: 3 }, 'options.ttl'],
    ['a relative prefix', { client, prefix: 'locks' }, 'options.prefix'],
    ['a prefix ending in /', { client, prefix: '/a/' }, 'options.prefix'],
    ['a prefix with an empty component', { client, prefix: '/a//b' }, 'options.prefix'],
    ['a prefix with a .. component', { client, prefix: '/a/..' }, 'options.prefix'],
    ['a prefix with a space', { client, prefix: '/a b' }, 'options.prefix'],
    ['a prefix that is not a string', { client, prefix: 7 }, 'options.prefix'],
    ['a bad lease timing', { client, lease: { renewFraction: 2 } }, 'options.lease.renewFraction'],
    ['a clock without now()', { client, clock: {} }, 'options.clock'],
  ])('rejects %s', (_what, options, argument) => {
    expect(argumentOf(() => zookeeperLocks(options as never))).toBe(argument);
  });

  it('makes no request until the first acquire, and close() leaves the client alone', async () => {
    const locks = zookeeperLocks({ client, prefix: '/p' });
    expect(locks.backend).toBe('zookeeper');
    expect(locks.capabilities).toEqual({
      fencing: 'strict',
      wait: 'push',
      fifo: true,
      primitives: ['lock', 'elect'],
    });
    await locks.close();
    expect(client.state).toBe(0); // never started, never closed by locksmith
  });
});
