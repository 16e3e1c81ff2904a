import { describe, expect, it } from 'vitest';
import {
  BackendUnavailableError,
  InvalidArgumentError,
  LockLostError,
  LockNotHeldError,
  LocksmithError,
  LockTimeoutError,
} from '../src/index.ts';

describe('errors', () => {
  const cases = [
    [new LockTimeoutError('k', 5), 'LOCK_TIMEOUT', 'LockTimeoutError'],
    [new LockLostError('k', 'expired'), 'LOCK_LOST', 'LockLostError'],
    [new LockNotHeldError('k'), 'LOCK_NOT_HELD', 'LockNotHeldError'],
    [new BackendUnavailableError('redis', 'down'), 'BACKEND_UNAVAILABLE', 'BackendUnavailableError'],
    [new InvalidArgumentError('key', 'must not be empty'), 'INVALID_ARGUMENT', 'InvalidArgumentError'],
  ] as const;

  it.each(cases)('%s has a stable code and its class name', (error, code, name) => {
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf(Error);
    expect(LocksmithError.isInstance(error)).toBe(true);
  });

  it('isInstance tells the classes apart', () => {
    const lost = new LockLostError('k', 'taken');
    expect(LockLostError.isInstance(lost)).toBe(true);
    expect(LockTimeoutError.isInstance(lost)).toBe(false);
    expect(LocksmithError.isInstance(new Error('x'))).toBe(false);
    expect(LocksmithError.isInstance(null)).toBe(false);
  });

  it('isInstance recognises an error made by another copy of the package', () => {
    // A second copy shares only the global symbol registry, not the classes.
    const foreign = Object.assign(new Error('from another copy'), {
      code: 'LOCK_LOST',
      [Symbol.for('locksmith.error')]: true,
    });
    expect(LockLostError.isInstance(foreign)).toBe(true);
    expect(foreign instanceof LockLostError).toBe(false);
  });

  it('keeps the cause and names the argument', () => {
    const cause = new Error('ECONNREFUSED');
    expect(new BackendUnavailableError('redis', 'acquire failed', { cause }).cause).toBe(cause);
    const bad = new InvalidArgumentError('options.ttlMs', 'must be a positive integer (got -5)');
    expect(bad.argument).toBe('options.ttlMs');
    expect(bad.message).toBe('options.ttlMs must be a positive integer (got -5)');
  });
});
