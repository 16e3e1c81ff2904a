import { MAX_TIMER_MS } from '@locksmith/core/protocol';
import { rejectionArgument } from '@locksmith/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constant, spinUntil } from '../src/index.ts';

const strategy = constant(1);

describe('spinUntil bad input', () => {
  it('property: rejects bad options before the first attempt, naming the option', async () => {
    const notFunction = fc.anything().filter((v) => typeof v !== 'function');
    const cases = fc.oneof(
      fc.tuple(fc.constant('options.strategy'), fc.oneof(notFunction, fc.record({ start: notFunction }))),
      fc.tuple(
        fc.constant('options.waitMs'),
        fc.oneof(
          fc.integer({ max: -1 }),
          fc.integer({ min: MAX_TIMER_MS + 1, max: Number.MAX_SAFE_INTEGER }),
          fc.double().filter((v) => !Number.isInteger(v) && v !== Number.POSITIVE_INFINITY),
          fc.anything().filter((v) => typeof v !== 'number' && v !== undefined),
        ),
      ),
      fc.tuple(
        fc.constant('options.signal'),
        fc.anything().filter((v) => v !== undefined),
      ),
      fc.tuple(
        fc.constant('options.clock'),
        fc.oneof(
          notFunction.filter((v) => v !== undefined),
          fc.record({ now: notFunction }),
        ),
      ),
      fc.tuple(
        fc.constant('options.random'),
        notFunction.filter((v) => v !== undefined),
      ),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ([argument, value]) => {
        let attempts = 0;
        const name = argument.slice('options.'.length);
        const run = () =>
          spinUntil(
            () => {
              attempts += 1;
              return 'done';
            },
            { strategy, [name]: value } as never,
          );
        expect(await rejectionArgument(run)).toBe(argument);
        expect(attempts).toBe(0);
      }),
    );
  });

  it('rejects a missing attempt function, missing options and unknown options', async () => {
    expect(await rejectionArgument(() => spinUntil('poll' as never, { strategy }))).toBe('attempt');
    expect(await rejectionArgument(() => spinUntil(() => 1, undefined as never))).toBe('options');
    expect(await rejectionArgument(() => spinUntil(() => 1, { strategy, retries: 3 } as never))).toBe(
      'options.retries',
    );
  });
});
