import { argumentOf } from '@locksmith/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemorySpace, memoryLocks } from '../src/index.ts';

const notAnObject = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.anything()),
);

describe('memoryLocks options', () => {
  it('rejects anything but an options object', () => {
    fc.assert(
      fc.property(notAnObject, (options) => argumentOf(() => memoryLocks(options as never)) === 'options'),
    );
  });

  it('rejects unknown options by name', () => {
    const name = fc
      .string({ minLength: 1 })
      .filter((s) => !['space', 'clock', 'lease'].includes(s) && s !== '__proto__');
    fc.assert(
      fc.property(name, (n) => argumentOf(() => memoryLocks({ [n]: 1 } as never)) === `options.${n}`),
    );
  });

  it('rejects a bad space, clock or lease timing, naming the option', () => {
    fc.assert(
      fc.property(
        fc.anything(),
        (v) => v === undefined || argumentOf(() => memoryLocks({ space: v as never })) === 'options.space',
      ),
    );
    fc.assert(
      fc.property(
        fc.anything().filter((v) => v === null || typeof (v as { now?: unknown })?.now !== 'function'),
        (v) =>
          v === undefined ? true : argumentOf(() => memoryLocks({ clock: v as never })) === 'options.clock',
      ),
    );
    expect(argumentOf(() => memoryLocks({ lease: { driftMs: -1 } }))).toBe('options.lease.driftMs');
    expect(argumentOf(() => memoryLocks({ lease: { renewFraction: 2 } }))).toBe(
      'options.lease.renewFraction',
    );
    expect(argumentOf(() => memoryLocks({ lease: 5 as never }))).toBe('options.lease');
    expect(() => memoryLocks({ lease: { driftMs: -1 } })).toThrow(/^options\.lease\.driftMs must be/);
  });

  it('createMemorySpace checks its options', () => {
    expect(argumentOf(() => createMemorySpace({ clock: 1 as never }))).toBe('options.clock');
    expect(argumentOf(() => createMemorySpace({ x: 1 } as never))).toBe('options.x');
    expect(argumentOf(() => createMemorySpace('x' as never))).toBe('options');
  });

  it('accepts valid options', async () => {
    const locks = memoryLocks({
      space: createMemorySpace(),
      clock: { now: () => performance.now() },
      lease: { renewFraction: 0.5 },
    });
    await locks.close();
  });
});
