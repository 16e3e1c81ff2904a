// Core's tests show these helpers read real InvalidArgumentErrors; here, what they let through.
// The errors are built by hand: this package may not import @locksmith/core (see argument-of.ts).
import { describe, expect, it } from 'vitest';
import { argumentOf, rejectionArgument } from '../src/index.ts';

/** An error carrying core's marker and `code`, as every locksmith error does. */
function locksmithError(code: string, argument?: string): Error {
  return Object.assign(new Error(code), { [Symbol.for('locksmith.error')]: true, code, argument });
}

describe('argumentOf', () => {
  it('returns the argument an InvalidArgumentError names, and undefined when nothing throws', () => {
    expect(
      argumentOf(() => {
        throw locksmithError('INVALID_ARGUMENT', 'options.ttlMs');
      }),
    ).toBe('options.ttlMs');
    expect(argumentOf(() => 1)).toBeUndefined();
  });

  it('rethrows any other error', () => {
    for (const error of [
      locksmithError('LOCK_TIMEOUT'),
      Object.assign(new Error('no marker'), { code: 'INVALID_ARGUMENT', argument: 'x' }),
      'a string',
    ]) {
      let caught: unknown;
      try {
        argumentOf(() => {
          throw error;
        });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBe(error);
    }
  });
});

describe('rejectionArgument', () => {
  it('reads rejections and synchronous throws alike, and resolves undefined when run resolves', async () => {
    expect(
      await rejectionArgument(async () => Promise.reject(locksmithError('INVALID_ARGUMENT', 'key'))),
    ).toBe('key');
    expect(
      await rejectionArgument(() => {
        throw locksmithError('INVALID_ARGUMENT', 'options');
      }),
    ).toBe('options');
    expect(await rejectionArgument(async () => 1)).toBeUndefined();
  });

  it('rethrows any other error', async () => {
    const other = locksmithError('LOCK_LOST');
    await expect(rejectionArgument(async () => Promise.reject(other))).rejects.toBe(other);
  });
});
