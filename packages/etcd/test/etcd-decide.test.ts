import { describe, expect, it } from 'vitest';
import { type Contender, decide } from '../src/etcd-decide.ts';
import { etcdLockPrefix, rangeEnd } from '../src/etcd-keys.ts';

const c = (key: string, rev: number): Contender => ({ key, createRevision: BigInt(rev) });

describe('decide', () => {
  it('the first contender holds the lock', () => {
    const mine = c('a', 5);
    expect(decide([mine], mine)).toEqual({ held: true });
  });

  it('a later contender watches only the one just ahead of it', () => {
    const [a, b, mine] = [c('a', 5), c('b', 7), c('m', 9)];
    expect(decide([a, b, mine], mine)).toEqual({ held: false, watch: b });
  });

  it('with permits, the first N hold and the rest watch the one N places ahead', () => {
    const [a, b, d, mine] = [c('a', 1), c('b', 2), c('d', 3), c('m', 4)];
    expect(decide([a, b, mine], mine, 3)).toEqual({ held: true });
    expect(decide([a, b, d, mine], mine, 2)).toEqual({ held: false, watch: b });
  });

  it('matches mine by key and create revision, so a re-created entry of the same name is another contender', () => {
    const old = c('m', 3);
    const mine = c('m', 9);
    expect(decide([old, c('x', 5), mine], mine)).toEqual({ held: false, watch: c('x', 5) });
    expect(() => decide([old], mine)).toThrow(/not among the contenders/);
  });

  it('rejects a bad permit count (a caller bug)', () => {
    expect(() => decide([c('m', 1)], c('m', 1), 0)).toThrow(/permits/);
  });
});

describe('keys', () => {
  it('encodes the lock key so that "a" and "a/b" have disjoint queues', () => {
    const a = etcdLockPrefix('p', 'a');
    const ab = etcdLockPrefix('p', 'a/b');
    expect(a).toBe('p/a/');
    expect(ab.startsWith(a)).toBe(false);
  });

  it('rangeEnd is the prefix with its last byte incremented (carrying past 0xff)', () => {
    expect(rangeEnd(Buffer.from('p/a/')).toString()).toBe('p/a0');
    expect([...rangeEnd(Buffer.from([0x61, 0xff]))]).toEqual([0x62]);
    expect([...rangeEnd(Buffer.from([0xff]))]).toEqual([0]);
  });
});
