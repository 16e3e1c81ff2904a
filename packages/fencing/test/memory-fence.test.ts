import { argumentOf } from '@locksmith/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryFence } from '../src/index.ts';

describe('memoryFence', () => {
  it('accepts higher and equal tokens, rejects lower ones, and records the highest', async () => {
    const fence = memoryFence();
    expect(fence.highest('r')).toBeUndefined();
    expect(await fence.accept('r', 5n)).toBe(true);
    expect(await fence.accept('r', 5n)).toBe(true);
    expect(await fence.accept('r', 4n)).toBe(false);
    expect(fence.highest('r')).toBe(5n);
    expect(await fence.accept('r', 9n)).toBe(true);
    expect(fence.acceptSync('r', 6n)).toBe(false);
    expect(fence.highest('r')).toBe(9n);
  });

  it('accepts token 0 first, and keeps resources independent', () => {
    const fence = memoryFence();
    expect(fence.acceptSync('a', 0n)).toBe(true);
    expect(fence.acceptSync('b', 100n)).toBe(true);
    expect(fence.acceptSync('a', 1n)).toBe(true);
    expect([fence.highest('a'), fence.highest('b')]).toEqual([1n, 100n]);
  });

  it('keeps two fences independent', () => {
    const one = memoryFence();
    const two = memoryFence();
    one.acceptSync('r', 10n);
    expect(two.acceptSync('r', 1n)).toBe(true);
  });

  it('property: agrees with the model "accept iff token ≥ max accepted so far", per resource', () => {
    const writes = fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.bigInt({ min: 0n, max: 20n })), {
      maxLength: 200,
    });
    fc.assert(
      fc.property(writes, (list) => {
        const fence = memoryFence();
        const model = new Map<string, bigint>();
        for (const [resource, token] of list) {
          const max = model.get(resource);
          const expected = max === undefined || token >= max;
          if (expected) model.set(resource, token);
          expect(fence.acceptSync(resource, token)).toBe(expected);
          expect(fence.highest(resource)).toBe(model.get(resource));
        }
      }),
    );
  });

  it('property: bad resource or token throws InvalidArgumentError naming it (accept rejects)', async () => {
    const fence = memoryFence();
    const badResource = fc.oneof(
      fc.constant(''),
      fc.constant('a\u0000'),
      fc.anything().filter((v) => typeof v !== 'string'),
    );
    const badToken = fc.oneof(
      fc.bigInt({ max: -1n }),
      fc.anything().filter((v) => typeof v !== 'bigint'),
    );
    fc.assert(
      fc.property(badResource, (resource) => {
        expect(argumentOf(() => fence.acceptSync(resource as string, 1n))).toBe('resource');
        expect(argumentOf(() => fence.highest(resource as string))).toBe('resource');
      }),
    );
    fc.assert(
      fc.property(badToken, (token) => {
        expect(argumentOf(() => fence.acceptSync('r', token as bigint))).toBe('token');
      }),
    );
    await expect(fence.accept('r', 1 as never)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      argument: 'token',
    });
    expect(fence.highest('r')).toBeUndefined(); // nothing recorded by rejected input
  });
});
