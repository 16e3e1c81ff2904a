import { MAX_TIMER_MS } from '@locksmith/core/protocol';
import { argumentOf } from '@locksmith/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BackoffSequence, exponential, type Jitter } from '../src/index.ts';
import { replay, unit } from './helpers.ts';

const take = (sequence: BackoffSequence, n: number) => Array.from({ length: n }, () => sequence.nextDelay());
const TOP = 1 - Number.EPSILON;

describe('exponential', () => {
  it("'none' doubles from baseMs up to capMs", () => {
    const s = exponential({ baseMs: 10, capMs: 100, jitter: 'none' }).start();
    expect(take(s, 7)).toEqual([10, 20, 40, 80, 100, 100, 100]);
  });

  it('grows by factor', () => {
    const s = exponential({ baseMs: 10, capMs: 100, factor: 3, jitter: 'none' }).start();
    expect(take(s, 5)).toEqual([10, 30, 90, 100, 100]);
  });

  it("'full' is uniform in [0, ceiling]", () => {
    const strategy = exponential({ baseMs: 10, capMs: 100, jitter: 'full' });
    expect(take(strategy.start(replay(TOP)), 6)).toEqual([10, 20, 40, 80, 100, 100]);
    expect(take(strategy.start(replay(0)), 6)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(take(strategy.start(replay(0.5)), 5)).toEqual([5, 10, 20, 40, 50]);
  });

  it("'equal' is half the ceiling plus up to the other half", () => {
    const strategy = exponential({ baseMs: 10, capMs: 100, jitter: 'equal' });
    expect(take(strategy.start(replay(0)), 6)).toEqual([5, 10, 20, 40, 50, 50]);
    expect(take(strategy.start(replay(TOP)), 6)).toEqual([10, 20, 40, 80, 100, 100]);
  });

  it("'decorrelated' draws from [baseMs, previous × 3], capped", () => {
    const strategy = exponential({ baseMs: 10, capMs: 100, jitter: 'decorrelated' });
    expect(take(strategy.start(replay(TOP)), 5)).toEqual([30, 90, 100, 100, 100]);
    expect(take(strategy.start(replay(0)), 3)).toEqual([10, 10, 10]);
    // previous 30 -> [10, 90]; r = 0.5 of 81 values -> 10 + 40 = 50; then [10, 150] -> 10 + 70 = 80.
    expect(take(strategy.start(replay(TOP, 0.5, 0.5)), 3)).toEqual([30, 50, 80]);
  });

  it('keeps state per wait: two sequences of one strategy do not interfere', () => {
    const strategy = exponential({ baseMs: 1, capMs: 1_000, jitter: 'none' });
    const a = strategy.start();
    take(a, 5);
    expect(strategy.start().nextDelay()).toBe(1);
    expect(a.nextDelay()).toBe(32);
  });

  it('never overflows, however long the wait', () => {
    const s = exponential({ baseMs: 1, capMs: MAX_TIMER_MS, factor: 1_000, jitter: 'none' }).start();
    expect(take(s, 10_000).slice(-1)).toEqual([MAX_TIMER_MS]);
  });

  const options = fc.record({
    baseMs: fc.integer({ min: 1, max: 10_000 }),
    extra: fc.integer({ min: 0, max: 100_000 }),
    factor: fc.double({ min: 1, max: 10, noNaN: true }),
    jitter: fc.constantFrom<Jitter>('none', 'full', 'equal', 'decorrelated'),
  });

  it('property: every delay is an integer in [0, capMs] and within its ceiling', () => {
    fc.assert(
      fc.property(
        options,
        fc.array(unit, { minLength: 1, maxLength: 60 }),
        ({ baseMs, extra, factor, jitter }, rs) => {
          const capMs = baseMs + extra;
          const strategy = exponential(
            jitter === 'decorrelated' ? { baseMs, capMs, jitter } : { baseMs, capMs, factor, jitter },
          );
          const delays = take(strategy.start(replay(...rs)), rs.length);
          delays.forEach((d, n) => {
            expect(Number.isInteger(d)).toBe(true);
            expect(d).toBeGreaterThanOrEqual(0);
            expect(d).toBeLessThanOrEqual(capMs);
            if (jitter === 'decorrelated') {
              expect(d).toBeGreaterThanOrEqual(baseMs);
              expect(d).toBeLessThanOrEqual(Math.max(baseMs, 3 * (n === 0 ? baseMs : delays[n - 1]!)));
            } else {
              const ceiling = Math.min(capMs, Math.floor(baseMs * factor ** n));
              expect(d).toBeLessThanOrEqual(ceiling);
              if (jitter === 'none') expect(d).toBe(ceiling);
              if (jitter === 'equal') expect(d).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
            }
          });
        },
      ),
    );
  });

  it('property: bad options throw InvalidArgumentError naming the option', () => {
    const valid = { baseMs: 10, capMs: 100, jitter: 'full' } as const;
    const notInteger = fc.oneof(
      fc.double().filter((v) => !Number.isInteger(v)),
      fc.string(),
      fc.constant(null),
      fc.boolean(),
      fc.bigInt(),
    );
    const cases = fc.oneof(
      fc.tuple(
        fc.constant('options.baseMs'),
        fc.oneof(
          notInteger,
          fc.integer({ max: 0 }),
          fc.integer({ min: MAX_TIMER_MS + 1, max: Number.MAX_SAFE_INTEGER }),
        ),
      ),
      fc.tuple(
        fc.constant('options.capMs'),
        fc.oneof(
          notInteger,
          fc.integer({ max: 9 }),
          fc.integer({ min: MAX_TIMER_MS + 1, max: Number.MAX_SAFE_INTEGER }),
        ),
      ),
      fc.tuple(
        fc.constant('options.factor'),
        fc.oneof(
          fc.double({ max: 1, maxExcluded: true }),
          fc.constant(Number.POSITIVE_INFINITY),
          fc.string(),
        ),
      ),
      fc.tuple(
        fc.constant('options.jitter'),
        fc.oneof(
          fc.string().filter((s) => !['none', 'full', 'equal', 'decorrelated'].includes(s)),
          fc.integer(),
        ),
      ),
    );
    fc.assert(
      fc.property(cases, ([argument, value]) => {
        const name = argument.slice('options.'.length);
        expect(argumentOf(() => exponential({ ...valid, [name]: value } as never))).toBe(argument);
      }),
    );
    expect(argumentOf(() => exponential({ baseMs: 10, capMs: 100, jitter: 'decorrelated', factor: 2 }))).toBe(
      'options.factor',
    );
    expect(argumentOf(() => exponential({ ...valid, retries: 3 } as never))).toBe('options.retries');
    expect(argumentOf(() => exponential(undefined as never))).toBe('options');
    expect(argumentOf(() => exponential('fast' as never))).toBe('options');
    expect(argumentOf(() => exponential({ capMs: 100, jitter: 'full' } as never))).toBe('options.baseMs');
  });

  it('property: a random source outside [0, 1) is reported, not clamped', () => {
    const bad = fc.oneof(
      fc.double({ min: 1 }),
      fc.double({ max: 0 }).filter((v) => v < 0),
      fc.constant(Number.NaN),
    );
    fc.assert(
      fc.property(bad, fc.constantFrom<Jitter>('full', 'equal', 'decorrelated'), (r, jitter) => {
        const s = exponential({ baseMs: 1, capMs: 10, jitter }).start(() => r);
        expect(argumentOf(() => s.nextDelay())).toBe('random');
      }),
    );
    expect(argumentOf(() => exponential({ baseMs: 1, capMs: 10, jitter: 'full' }).start(42 as never))).toBe(
      'random',
    );
  });
});
