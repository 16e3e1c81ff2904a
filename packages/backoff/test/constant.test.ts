import { MAX_TIMER_MS } from '@locksmith/core/protocol';
import { argumentOf } from '@locksmith/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constant } from '../src/index.ts';
import { replay, unit } from './helpers.ts';

describe('constant', () => {
  it('repeats ms and, without jitter, never draws a random number', () => {
    const s = constant(25).start(() => {
      throw new Error('not used');
    });
    expect([s.nextDelay(), s.nextDelay(), s.nextDelay()]).toEqual([25, 25, 25]);
  });

  it('jitter takes up to that fraction off', () => {
    const strategy = constant(100, { jitter: 0.5 });
    expect(strategy.start(replay(0)).nextDelay()).toBe(50);
    expect(strategy.start(replay(1 - Number.EPSILON)).nextDelay()).toBe(100);
    expect(constant(100, { jitter: 1 }).start(replay(0)).nextDelay()).toBe(0);
  });

  it('property: delays are integers in [ceil(ms × (1 − jitter)), ms]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_TIMER_MS }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        unit,
        (ms, jitter, r) => {
          const d = constant(ms, { jitter })
            .start(() => r)
            .nextDelay();
          expect(Number.isInteger(d)).toBe(true);
          expect(d).toBeGreaterThanOrEqual(Math.ceil(ms * (1 - jitter)));
          expect(d).toBeLessThanOrEqual(ms);
        },
      ),
    );
  });

  it('property: bad input throws InvalidArgumentError naming it', () => {
    const badMs = fc.oneof(
      fc.integer({ max: -1 }),
      fc.integer({ min: MAX_TIMER_MS + 1, max: Number.MAX_SAFE_INTEGER }),
      fc.double().filter((v) => !Number.isInteger(v)),
      fc.anything().filter((v) => typeof v !== 'number'),
    );
    fc.assert(
      fc.property(badMs, (ms) => {
        expect(argumentOf(() => constant(ms as number))).toBe('ms');
      }),
    );
    const badJitter = fc.oneof(
      fc.double({ min: 1, minExcluded: true }),
      fc.double({ max: 0 }).filter((v) => v < 0),
      fc.constant(Number.NaN),
      fc.anything().filter((v) => typeof v !== 'number' && v !== undefined),
    );
    fc.assert(
      fc.property(badJitter, (jitter) => {
        expect(argumentOf(() => constant(10, { jitter: jitter as number }))).toBe('options.jitter');
      }),
    );
    expect(argumentOf(() => constant(10, { spread: 1 } as never))).toBe('options.spread');
    expect(argumentOf(() => constant(10, 0.5 as never))).toBe('options');
  });
});
