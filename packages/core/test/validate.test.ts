import { argumentOf } from '@locksmith/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_KEY_BYTES } from '../src/index.ts';
import { validateAcquireOptions, validateInteger, validateKey } from '../src/protocol-index.ts';

describe('validateKey', () => {
  it('accepts any non-empty string within the byte limit', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 100, unit: 'grapheme' }), (key) => {
        fc.pre(!key.includes('\u0000'));
        expect(validateKey(key)).toBe(key);
      }),
    );
  });

  it('rejects non-strings, empty, NUL and over-long keys, naming the argument', () => {
    const bad = fc.oneof(
      fc.constant(''),
      fc.constant('a\u0000b'),
      fc
        .string({ minLength: MAX_KEY_BYTES + 1, maxLength: MAX_KEY_BYTES + 50 })
        .filter((s) => new TextEncoder().encode(s).length > MAX_KEY_BYTES),
      fc.anything().filter((v) => typeof v !== 'string'),
    );
    fc.assert(
      fc.property(bad, (key) => {
        expect(argumentOf(() => validateKey(key))).toBe('key');
      }),
    );
  });

  it('counts bytes, not characters', () => {
    expect(() => validateKey('é'.repeat(256))).not.toThrow();
    expect(() => validateKey('é'.repeat(257))).toThrow(/at most 512 UTF-8 bytes \(got 514\)/);
  });
});

describe('validateAcquireOptions', () => {
  it('applies defaults', () => {
    expect(validateAcquireOptions(undefined, 0)).toEqual({
      ttlMs: 30_000,
      autoRenew: true,
      waitMs: 0,
      signal: undefined,
    });
  });

  it('rejects every bad ttlMs with a message naming it and the value', () => {
    const badTtl = fc.oneof(
      fc.integer({ max: 0 }),
      fc.double({ noInteger: true }),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, '10', null, 10n),
    );
    fc.assert(
      fc.property(badTtl, (ttlMs) => {
        expect(argumentOf(() => validateAcquireOptions({ ttlMs }, 0))).toBe('options.ttlMs');
      }),
    );
    expect(() => validateAcquireOptions({ ttlMs: -5 }, 0)).toThrow(
      'options.ttlMs must be a positive integer at most 2147483647 (got -5)',
    );
  });

  it('accepts Infinity for waitMs but not negatives', () => {
    expect(validateAcquireOptions({ waitMs: Number.POSITIVE_INFINITY }, 0).waitMs).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(argumentOf(() => validateAcquireOptions({ waitMs: -1 }, 0))).toBe('options.waitMs');
  });

  it('rejects unknown options and wrong types', () => {
    expect(argumentOf(() => validateAcquireOptions({ ttl: 5 }, 0))).toBe('options.ttl');
    expect(argumentOf(() => validateAcquireOptions({ autoRenew: 'yes' }, 0))).toBe('options.autoRenew');
    expect(argumentOf(() => validateAcquireOptions({ signal: {} }, 0))).toBe('options.signal');
    expect(argumentOf(() => validateAcquireOptions('fast', 0))).toBe('options');
    expect(argumentOf(() => validateAcquireOptions([], 0))).toBe('options');
  });
});

describe('validateInteger', () => {
  it('states the rule and the value', () => {
    expect(() => validateInteger('permits', 0, { min: 1, max: 10 })).toThrow(
      'permits must be a positive integer at most 10 (got 0)',
    );
  });
});
