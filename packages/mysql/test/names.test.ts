import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFIX, MAX_NAME_CHARS, mysqlLockName } from '../src/index.ts';

describe('mysqlLockName', () => {
  it('keeps prefix + key when it has at most 63 characters', () => {
    expect(mysqlLockName(DEFAULT_PREFIX, 'invoice:42')).toBe('locksmith:invoice:42');
    const k = 'x'.repeat(63 - DEFAULT_PREFIX.length);
    expect(mysqlLockName(DEFAULT_PREFIX, k)).toBe(`${DEFAULT_PREFIX}${k}`);
  });

  it('hashes 64 characters and more into exactly 64, keeping a readable prefix', () => {
    for (const key of ['y'.repeat(64 - DEFAULT_PREFIX.length), 'z'.repeat(500), `${'é'.repeat(100)}🔒`]) {
      const name = mysqlLockName(DEFAULT_PREFIX, key);
      expect([...name].length).toBe(MAX_NAME_CHARS);
      expect(name.startsWith(`${DEFAULT_PREFIX}${[...key].slice(0, 20).join('')}`)).toBe(true);
      expect(name).toMatch(/#[A-Za-z0-9_-]{22}$/);
    }
  });

  it('maps distinct keys to distinct names: long keys differing only at the end, and a literal look-alike', () => {
    const a = mysqlLockName('', `${'a'.repeat(100)}1`);
    const b = mysqlLockName('', `${'a'.repeat(100)}2`);
    expect(a).not.toBe(b);
    // A literal name is never 64 characters, so a key cannot spell another key's hashed name.
    expect(mysqlLockName('', a.slice(0, 63))).not.toBe(a);
    expect(mysqlLockName('', a)).not.toBe(a);
  });

  it('counts characters, not UTF-16 units: 63 astral characters stay literal', () => {
    const key = '🔒'.repeat(63);
    expect(mysqlLockName('', key)).toBe(key);
  });
});
