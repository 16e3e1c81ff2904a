import type { Clock } from '@locksmith/core';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type BackoffStrategy, constant, exponential, type SpinAttempt, spinUntil } from '../src/index.ts';

// Fake timers drive both the sleeps and the injected clock, so every time below is exact.
const clock: Clock = { now: () => Date.now() };

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  expect(vi.getTimerCount()).toBe(0); // no sleep left behind
  vi.useRealTimers();
});

/** An attempt that records what it was told and succeeds on attempt `succeedOn` (never by default). */
function recorder(succeedOn = Number.POSITIVE_INFINITY) {
  const seen: SpinAttempt[] = [];
  const attempt = (info: SpinAttempt) => {
    seen.push(info);
    return info.attempt === succeedOn ? `value@${info.attempt}` : undefined;
  };
  return { seen, attempt };
}

describe('spinUntil', () => {
  it('resolves the first value an attempt returns, sleeping the strategy between tries', async () => {
    const { seen, attempt } = recorder(3);
    const result = spinUntil(attempt, {
      strategy: exponential({ baseMs: 10, capMs: 100, jitter: 'none' }),
      clock,
    });
    await vi.runAllTimersAsync();
    await expect(result).resolves.toBe('value@3');
    expect(seen).toEqual([
      { attempt: 1, elapsedMs: 0, remainingMs: Number.POSITIVE_INFINITY },
      { attempt: 2, elapsedMs: 10, remainingMs: Number.POSITIVE_INFINITY },
      { attempt: 3, elapsedMs: 30, remainingMs: Number.POSITIVE_INFINITY },
    ]);
  });

  it('accepts async attempts and treats null, 0 and false as values', async () => {
    for (const value of [null, 0, false, '']) {
      await expect(spinUntil(async () => value, { strategy: constant(10), clock })).resolves.toBe(value);
    }
  });

  it('resolves undefined at the deadline, clipping the last sleep so a final attempt runs there', async () => {
    const { seen, attempt } = recorder();
    const result = spinUntil(attempt, { strategy: constant(30), waitMs: 100, clock });
    await vi.runAllTimersAsync();
    await expect(result).resolves.toBeUndefined();
    expect(seen.map((s) => s.elapsedMs)).toEqual([0, 30, 60, 90, 100]);
    expect(seen.at(-1)).toEqual({ attempt: 5, elapsedMs: 100, remainingMs: 0 });
  });

  it('waitMs 0 makes exactly one attempt', async () => {
    const { seen, attempt } = recorder();
    await expect(spinUntil(attempt, { strategy: constant(10), waitMs: 0, clock })).resolves.toBeUndefined();
    expect(seen).toHaveLength(1);
  });

  it('hands its random source to the strategy', async () => {
    const { seen, attempt } = recorder(4);
    const result = spinUntil(attempt, {
      strategy: exponential({ baseMs: 100, capMs: 1_000, jitter: 'full' }),
      random: () => 0.5,
      clock,
    });
    await vi.runAllTimersAsync();
    await result;
    // floor(0.5 × 101) = 50, floor(0.5 × 201) = 100, floor(0.5 × 401) = 200
    expect(seen.map((s) => s.elapsedMs)).toEqual([0, 50, 150, 350]);
  });

  it('rejects with signal.reason when aborted in the middle of a sleep', async () => {
    const controller = new AbortController();
    const { seen, attempt } = recorder();
    const result = spinUntil(attempt, { strategy: constant(1_000), signal: controller.signal, clock });
    const settled = expect(result).rejects.toBe('stop');
    await vi.advanceTimersByTimeAsync(1_500);
    controller.abort('stop');
    await settled;
    expect(seen).toHaveLength(2);
  });

  it('rejects at once, without an attempt, when the signal is already aborted', async () => {
    const { seen, attempt } = recorder(1);
    const reason = new Error('gone');
    await expect(
      spinUntil(attempt, { strategy: constant(10), signal: AbortSignal.abort(reason), clock }),
    ).rejects.toBe(reason);
    expect(seen).toHaveLength(0);
  });

  it('rejects when aborted during a failed attempt, but never drops a value an attempt obtained', async () => {
    const controller = new AbortController();
    const failing = () => {
      controller.abort('during');
      return undefined;
    };
    await expect(
      spinUntil(failing, { strategy: constant(10), signal: controller.signal, clock }),
    ).rejects.toBe('during');

    const other = new AbortController();
    const succeeding = () => {
      other.abort('during');
      return 'held';
    };
    await expect(
      spinUntil(succeeding, { strategy: constant(10), signal: other.signal, clock }),
    ).resolves.toBe('held');
  });

  it('passes an error thrown by an attempt through unchanged and stops trying', async () => {
    const error = new Error('EACCES');
    let calls = 0;
    const attempt = async () => {
      calls += 1;
      if (calls === 2) throw error;
      return undefined;
    };
    const result = spinUntil(attempt, { strategy: constant(10), clock });
    const settled = expect(result).rejects.toBe(error);
    await vi.runAllTimersAsync();
    await settled;
    expect(calls).toBe(2);
  });

  it('property: attempts run in order, never past the deadline, and the last one runs at it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 200 }),
        async (waitMs, baseMs, extra) => {
          const { seen, attempt } = recorder();
          const result = spinUntil(attempt, {
            strategy: exponential({ baseMs, capMs: baseMs + extra, jitter: 'decorrelated' }),
            waitMs,
            random: () => 0.7,
            clock,
          });
          await vi.runAllTimersAsync();
          expect(await result).toBeUndefined();
          expect(seen.map((s) => s.attempt)).toEqual(seen.map((_, i) => i + 1));
          expect(seen.every((s) => s.elapsedMs <= waitMs)).toBe(true);
          expect(seen.at(-1)?.elapsedMs).toBe(waitMs);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('rejects a strategy that yields an invalid delay, naming options.strategy', async () => {
    for (const delay of [-1, Number.NaN, Number.POSITIVE_INFINITY, '5']) {
      const strategy = { start: () => ({ nextDelay: () => delay as number }) } satisfies BackoffStrategy;
      await expect(spinUntil(() => undefined, { strategy, clock })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        argument: 'options.strategy',
      });
    }
  });
});
