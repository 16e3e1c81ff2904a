import { InvalidArgumentError, MAX_KEY_BYTES } from '@locksmith/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFIX, redisLockKeys } from '../src/index.ts';
import { validatePrefix } from '../src/redis-keys.ts';

/** The hash tag Redis Cluster hashes: the text between the first `{` and the next `}`, when non-empty. */
function hashTag(name: string): string {
  const open = name.indexOf('{');
  if (open < 0) return name;
  const close = name.indexOf('}', open + 1);
  return close > open + 1 ? name.slice(open + 1, close) : name;
}

const anyKey = fc
  .string({ minLength: 1, maxLength: 64, unit: 'grapheme' })
  .filter((k) => !k.includes('\u0000'));

describe('redisLockKeys', () => {
  it('names the lock and its three companions', () => {
    expect(redisLockKeys(DEFAULT_PREFIX, 'invoice:42')).toEqual({
      lock: '{locksmith:invoice:42}',
      token: '{locksmith:invoice:42}:token',
      queue: '{locksmith:invoice:42}:queue',
      waiters: '{locksmith:invoice:42}:waiters',
    });
  });

  it('property: all four keys of a lock share one hash tag (one Redis Cluster slot)', () => {
    fc.assert(
      fc.property(anyKey, (key) => {
        const k = redisLockKeys('p', key);
        const tag = hashTag(k.lock);
        expect([k.token, k.queue, k.waiters].map(hashTag)).toEqual([tag, tag, tag]);
      }),
    );
  });

  it('property: two different lock keys never share any Redis key', () => {
    fc.assert(
      fc.property(anyKey, anyKey, (a, b) => {
        fc.pre(a !== b);
        const ka = Object.values(redisLockKeys('p', a));
        const kb = Object.values(redisLockKeys('p', b));
        expect(ka.filter((x) => kb.includes(x))).toEqual([]);
      }),
    );
  });

  it('accepts the longest key core allows', () => {
    expect(redisLockKeys('p', 'x'.repeat(MAX_KEY_BYTES)).lock.length).toBe(MAX_KEY_BYTES + 4);
  });
});

describe('validatePrefix', () => {
  it.each([[''], ['a{b'], ['a}b'], ['x'.repeat(65)], [5], [undefined]])(
    'rejects %j naming options.prefix',
    (bad) => {
      const error = (() => {
        try {
          validatePrefix(bad);
        } catch (e) {
          return e;
        }
      })();
      expect(InvalidArgumentError.isInstance(error) && error.argument).toBe('options.prefix');
    },
  );
});
