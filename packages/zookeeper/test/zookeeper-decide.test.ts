import { describe, expect, it } from 'vitest';
import { decide } from '../src/zookeeper-decide.ts';
import {
  ancestry,
  nodePrefix,
  sequenceOf,
  validatePrefix,
  zookeeperLockPath,
} from '../src/zookeeper-keys.ts';
import { findTagged } from '../src/zookeeper-queue.ts';

const node = (tag: string, seq: number) => `${nodePrefix(tag)}${String(seq).padStart(10, '0')}`;

describe('decide', () => {
  it('the lowest sequence number holds the lock, whatever the order of the listing', () => {
    const mine = node('m', 3);
    expect(decide([node('b', 9), mine, node('a', 5)], mine)).toEqual({ held: true });
  });

  it('a later node watches only the one just ahead of it (no herd)', () => {
    const [a, b, mine, c] = [node('a', 1), node('b', 4), node('m', 7), node('c', 8)];
    expect(decide([c, mine, a, b], mine)).toEqual({ held: false, watch: b, next: false });
    expect(decide([mine, b], mine)).toEqual({ held: false, watch: b, next: true });
  });

  it('orders by the sequence number, not by the tag in front of it', () => {
    const [early, mine] = [node('zzzz', 2), node('aaaa', 3)];
    expect(decide([mine, early], mine)).toEqual({ held: false, watch: early, next: true });
  });

  it('ignores children that are not queue nodes, and says when mine is gone', () => {
    const mine = node('m', 3);
    expect(decide(['stray', mine], mine)).toEqual({ held: true });
    expect(decide([node('a', 1)], mine)).toBeUndefined();
  });

  it('with permits, the first N hold and the rest watch the one N places ahead', () => {
    const [a, b, d, mine] = [node('a', 1), node('b', 2), node('d', 3), node('m', 4)];
    expect(decide([a, b, mine], mine, 3)).toEqual({ held: true });
    expect(decide([a, b, d, mine], mine, 2)).toEqual({ held: false, watch: b, next: false });
    expect(() => decide([mine], mine, 0)).toThrow(/permits/);
  });
});

describe('paths and tags', () => {
  it('encodes the key so that any string is one child of the prefix', () => {
    expect(zookeeperLockPath('/p', 'a/b')).toBe('/p/a%2Fb');
    expect(zookeeperLockPath('/p', '.')).toBe('/p/%2E');
    expect(zookeeperLockPath('/p', '..')).toBe('/p/%2E%2E');
    expect(zookeeperLockPath('/p', 'ключ 🔑')).toMatch(/^\/p\/[A-Za-z0-9%\-_!~*'()]+$/);
  });

  it('finds a node by its attempt tag, and a tag never matches a longer one', () => {
    const children = [node('c1a', 4), node('c1', 5)];
    expect(findTagged(children, nodePrefix('c1'))).toBe(node('c1', 5));
    expect(findTagged(children, nodePrefix('c2'))).toBeUndefined();
    expect(sequenceOf(node('x', 42))).toBe(42);
    expect(sequenceOf('x-lock-12')).toBeUndefined();
  });

  it('lists the ancestors to create, outermost first', () => {
    expect(ancestry('/a/b/c')).toEqual(['/a', '/a/b', '/a/b/c']);
    expect(validatePrefix('/a/b')).toBe('/a/b');
  });
});
