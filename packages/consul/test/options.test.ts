// Bad options reject with InvalidArgumentError naming the option, before any I/O: the client here
// points at a port nobody listens on and is never used.
import { InvalidArgumentError } from '@locksmith/core';
import Consul from 'consul';
import { describe, expect, it } from 'vitest';
import { consulLocks } from '../src/index.ts';

const client = new Consul({ host: '127.0.0.1', port: 1 });

function argumentOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (InvalidArgumentError.isInstance(error)) return error.argument;
    throw error;
  }
  return undefined;
}

describe('consulLocks options', () => {
  it.each([
    ['no options', undefined, 'options'],
    ['options that are not an object', 5, 'options'],
    ['no client', {}, 'options.client'],
    ['a client that is not consul', { client: { kv: {} } }, 'options.client'],
    ['an unknown option', { client, ttl: 3 }, 'options.ttl'],
    ['an empty prefix', { client, prefix: '' }, 'options.prefix'],
    ['a prefix ending in /', { client, prefix: 'a/' }, 'options.prefix'],
    ['a prefix that is not a string', { client, prefix: 7 }, 'options.prefix'],
    ['a negative lock-delay', { client, lockDelayMs: -1 }, 'options.lockDelayMs'],
    ['a lock-delay over Consul’s 60 s', { client, lockDelayMs: 60_001 }, 'options.lockDelayMs'],
    ['a fractional lock-delay', { client, lockDelayMs: 1.5 }, 'options.lockDelayMs'],
    ['a bad lease timing', { client, lease: { renewFraction: 2 } }, 'options.lease.renewFraction'],
    ['a clock without now()', { client, clock: {} }, 'options.clock'],
  ])('rejects %s', (_what, options, argument) => {
    expect(argumentOf(() => consulLocks(options as never))).toBe(argument);
  });

  it('makes no request until the first acquire, and close() leaves the client usable', async () => {
    const locks = consulLocks({ client, prefix: 'p', lockDelayMs: 0 });
    expect(locks.backend).toBe('consul');
    expect(locks.capabilities).toEqual({
      fencing: 'strict',
      wait: 'push',
      fifo: false,
      primitives: ['lock', 'elect'],
    });
    await locks.close();
    expect(typeof client.kv.get).toBe('function');
  });
});
