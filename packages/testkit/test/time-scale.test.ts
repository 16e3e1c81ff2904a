import { InvalidArgumentError } from '@locksmith/core';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scaled, timeScale } from '../src/time-scale.ts';

describe('timeScale', () => {
  it('defaults to 1 when LOCKSMITH_TIME_SCALE is unset or blank', () => {
    expect(timeScale({})).toBe(1);
    expect(timeScale({ LOCKSMITH_TIME_SCALE: ' ' })).toBe(1);
  });

  it('reads a positive factor', () => {
    expect(timeScale({ LOCKSMITH_TIME_SCALE: '2.5' })).toBe(2.5);
    expect(timeScale({ LOCKSMITH_TIME_SCALE: '0.5' })).toBe(0.5);
  });

  it('rejects anything but a positive finite number, naming the variable', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom('0', '-1', 'NaN', 'Infinity', 'fast', '2x'),
          fc.string().filter((s) => s.trim() !== '' && !(Number(s) > 0 && Number.isFinite(Number(s)))),
        ),
        (raw) => {
          expect(() => timeScale({ LOCKSMITH_TIME_SCALE: raw })).toThrow(
            expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'LOCKSMITH_TIME_SCALE' }),
          );
        },
      ),
    );
  });
});

describe('scaled', () => {
  it('multiplies by the factor and rounds up to a whole millisecond', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (ms, factor) => {
          const result = scaled(ms, { LOCKSMITH_TIME_SCALE: String(factor) });
          expect(Number.isInteger(result)).toBe(true);
          expect(result).toBeGreaterThanOrEqual(ms * factor);
          expect(result - ms * factor).toBeLessThan(1);
        },
      ),
    );
  });

  it('is the identity at factor 1', () => {
    expect(scaled(1500, {})).toBe(1500);
  });

  it('rejects a negative or non-finite ms', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '10' as unknown as number]) {
      expect(() => scaled(bad, {})).toThrow(InvalidArgumentError);
    }
  });
});
