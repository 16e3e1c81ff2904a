import { InvalidArgumentError } from '@locksmith/core';

/**
 * The factor every test wait is multiplied by, read from `LOCKSMITH_TIME_SCALE` (a positive finite
 * number; e.g. `3` on a slow CI machine). Bounds in the testkit are generous upper limits, never
 * speed assertions, so raising the factor only makes a run slower, never weaker.
 * @defaultValue 1
 * @throws InvalidArgumentError (argument `LOCKSMITH_TIME_SCALE`) when the variable is set but not a
 *   positive finite number; a typo must not silently shorten every bound.
 */
export function timeScale(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env.LOCKSMITH_TIME_SCALE;
  if (raw === undefined || raw.trim() === '') return 1;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(
      'LOCKSMITH_TIME_SCALE',
      `must be a positive finite number (got ${JSON.stringify(raw)})`,
    );
  }
  return value;
}

/**
 * `ms` multiplied by {@link timeScale}, rounded up to a whole millisecond.
 * @example `await waitFor(() => lease.signal.aborted, scaled(2_000))`
 * @throws InvalidArgumentError when `ms` is not a non-negative finite number, or as {@link timeScale}.
 */
export function scaled(ms: number, env?: Readonly<Record<string, string | undefined>>): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new InvalidArgumentError('ms', `must be a non-negative finite number (got ${String(ms)})`);
  }
  return Math.ceil(ms * timeScale(env));
}
