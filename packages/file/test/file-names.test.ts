import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freeName, heldName, keyDirName, newHolderId, parseState } from '../src/file-names.ts';

describe('keyDirName', () => {
  it('is a short, portable name, the same for the same key', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 120 }), (key) => {
        const name = keyDirName(key);
        expect(name).toMatch(/^k-[A-Za-z0-9_.-]{0,48}-[0-9a-f]{32}$/);
        expect(keyDirName(key)).toBe(name);
      }),
    );
  }, 30_000); // binary strings are slow to generate on a loaded machine

  it('keeps keys apart that differ only in case or past the readable prefix', () => {
    expect(keyDirName('Invoice')).not.toBe(keyDirName('invoice'));
    expect(keyDirName('invoice').toLowerCase()).not.toBe(keyDirName('Invoice').toLowerCase());
    const long = 'x'.repeat(100);
    expect(keyDirName(`${long}a`)).not.toBe(keyDirName(`${long}b`));
    expect(keyDirName('a/b')).not.toBe(keyDirName('a_b'));
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => a === b || keyDirName(a) !== keyDirName(b)));
  });
});

describe('state names', () => {
  it('round-trip', () => {
    const holder = newHolderId();
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 64n }),
        fc.nat(),
        fc.nat({ max: 2 ** 45 }),
        fc.nat({ max: 2 ** 45 }),
        fc.option(fc.stringMatching(/^[0-9a-f]{32}$/), { nil: undefined }),
        (token, seq, deadline, monoDeadline, boot) => {
          expect(parseState(freeName(token))).toEqual({ kind: 'free', name: freeName(token), token });
          const name = heldName(token, holder, seq, { wall: deadline, boot, mono: monoDeadline });
          const held = { kind: 'held', name, token, holder, seq, deadline, monoDeadline };
          expect(parseState(name)).toEqual(boot === undefined ? held : { ...held, boot });
        },
      ),
    );
  });

  it('still reads the held names of earlier versions (wall deadline only)', () => {
    const name = 't7.held.host-1-00.2.1767225600000';
    expect(parseState(name)).toEqual({
      kind: 'held',
      name,
      token: 7n,
      holder: 'host-1-00',
      seq: 2,
      deadline: 1767225600000,
    });
  });

  it('ignores anything else', () => {
    for (const junk of [
      '',
      '.DS_Store',
      't.free',
      't1.free.x',
      't1.held.a.b.c',
      't1.held.a b.1.2',
      '.nfs0001',
      'tx.free',
    ]) {
      expect(parseState(junk)).toBeUndefined();
    }
  });

  it('holder ids are unique and name-safe', () => {
    const ids = new Set(Array.from({ length: 1000 }, newHolderId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9-]+$/);
  });
});
