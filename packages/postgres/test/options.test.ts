// Bad options reject with InvalidArgumentError naming the option, before any I/O: the pool here
// points at a port nobody listens on and is never used. The key hash is pinned: it is part of
// the on-server format (two versions must map a key to the same advisory lock).
import { argumentOf } from '@locksmith/test-utils';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { advisoryKey, postgresLocks } from '../src/index.ts';

const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
afterAll(() => pool.end());

describe('postgresLocks options', () => {
  it.each([
    ['no options', undefined, 'options'],
    ['options that are not an object', 5, 'options'],
    ['no pool', {}, 'options.pool'],
    ['a pool that is not a pg.Pool', { pool: {} }, 'options.pool'],
    ['an unknown option', { pool, ttl: 3 }, 'options.ttl'],
    ['an unknown mode', { pool, mode: 'transaction' }, 'options.mode'],
    ['an empty prefix', { pool, prefix: '' }, 'options.prefix'],
    ['a prefix that is not an identifier', { pool, prefix: 'a-b' }, 'options.prefix'],
    ['an upper-case prefix', { pool, prefix: 'Locks' }, 'options.prefix'],
    ['a prefix that is not a string', { pool, prefix: 7 }, 'options.prefix'],
    ['migrate that is not a boolean', { pool, migrate: 'yes' }, 'options.migrate'],
    ['notify that is not a boolean', { pool, notify: 1 }, 'options.notify'],
    ['a pollMs of 0', { pool, pollMs: 0 }, 'options.pollMs'],
    ['a bad lease timing', { pool, lease: { renewFraction: 2 } }, 'options.lease.renewFraction'],
    ['a clock without now()', { pool, clock: {} }, 'options.clock'],
  ])('rejects %s', (_what, options, argument) => {
    expect(argumentOf(() => postgresLocks(options as never))).toBe(argument);
  });

  it('makes no request until the first acquire; capabilities per mode', async () => {
    const session = postgresLocks({ pool });
    const lease = postgresLocks({ pool, mode: 'lease' });
    expect(session.capabilities).toEqual({
      fencing: 'strict',
      wait: 'push',
      fifo: true,
      primitives: ['lock'],
    });
    expect(lease.capabilities).toEqual({
      fencing: 'strict',
      wait: 'push',
      fifo: false,
      primitives: ['lock'],
    });
    await Promise.all([session.close(), lease.close()]);
    expect(pool.totalCount).toBe(0);
  });

  it('maps keys to advisory keys by SHA-256 of "<prefix>:<key>", first 8 bytes, signed', () => {
    expect(advisoryKey('locksmith', 'invoice:42')).toBe(advisoryKey('locksmith', 'invoice:42'));
    expect(advisoryKey('locksmith', 'invoice:42')).not.toBe(advisoryKey('other', 'invoice:42'));
    // Pinned values: changing the mapping would let two versions hold one key at once.
    expect(advisoryKey('locksmith', '')).toBe(6966238040380818389n);
    expect(advisoryKey('locksmith', 'invoice:42')).toBe(-4856442386056027011n);
  });
});
