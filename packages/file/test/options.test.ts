import { constant } from '@locksmith/backoff';
import { argumentOf } from '@locksmith/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fileLocks } from '../src/index.ts';

const KNOWN = ['dir', 'pollMs', 'backoff', 'watch', 'clock', 'wallClock', 'lease'];

describe('fileLocks options', () => {
  it('requires an options object', () => {
    expect(argumentOf(() => fileLocks(undefined as never))).toBe('options');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.anything())), (v) => {
        expect(argumentOf(() => fileLocks(v as never))).toBe('options');
      }),
    );
  });

  it('requires dir to be a non-empty path', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constant(''), fc.constant('a\u0000b'), fc.integer(), fc.constant(null), fc.object()),
        (dir) => {
          expect(argumentOf(() => fileLocks({ dir } as never))).toBe('options.dir');
        },
      ),
    );
    expect(argumentOf(() => fileLocks({} as never))).toBe('options.dir');
  });

  it('rejects unknown options by name', () => {
    const name = fc.string({ minLength: 1 }).filter((s) => !KNOWN.includes(s) && s !== '__proto__');
    fc.assert(
      fc.property(
        name,
        (n) => argumentOf(() => fileLocks({ dir: '/tmp/x', [n]: 1 } as never)) === `options.${n}`,
      ),
    );
  });

  it('checks pollMs, backoff, clocks and lease timing', () => {
    const bad = fc.oneof(
      fc.integer({ max: 0 }),
      fc.double({ noInteger: true }),
      fc.string(),
      fc.constant(2 ** 31),
    );
    fc.assert(
      fc.property(
        bad,
        (pollMs) =>
          argumentOf(() => fileLocks({ dir: '/tmp/x', pollMs: pollMs as never })) === 'options.pollMs',
      ),
    );
    expect(argumentOf(() => fileLocks({ dir: '/tmp/x', pollMs: 10, backoff: constant(5) }))).toBe(
      'options.pollMs',
    );
    expect(argumentOf(() => fileLocks({ dir: '/tmp/x', backoff: {} as never }))).toBe('options.backoff');
    expect(argumentOf(() => fileLocks({ dir: '/tmp/x', clock: 5 as never }))).toBe('options.clock');
    expect(argumentOf(() => fileLocks({ dir: '/tmp/x', watch: 'yes' as never }))).toBe('options.watch');
    expect(argumentOf(() => fileLocks({ dir: '/tmp/x', wallClock: {} as never }))).toBe('options.wallClock');
    expect(argumentOf(() => fileLocks({ dir: '/tmp/x', lease: { renewFraction: 0 } }))).toBe(
      'options.lease.renewFraction',
    );
    expect(() => fileLocks({ dir: '/tmp/x', lease: { driftMs: -1 } })).toThrow(
      /^options\.lease\.driftMs must be/,
    );
  });

  it('accepts valid options without touching the file system', async () => {
    const locks = fileLocks({
      dir: '/nonexistent/not/created',
      backoff: constant(5),
      wallClock: Date,
      lease: { driftMs: 5 },
    });
    await locks.close();
  });
});
