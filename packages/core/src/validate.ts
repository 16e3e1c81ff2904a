import type { Clock } from './clock.ts';
import { InvalidArgumentError } from './errors.ts';
import type { AcquireOptions, ElectOptions, ObserveOptions } from './types.ts';

/** Longest key accepted, in UTF-8 bytes. Backends with shorter limits hash (and document it). */
export const MAX_KEY_BYTES = 512;
/** Largest ttl or wait that timers can represent (2^31-1 ms, about 24.8 days). */
export const MAX_TIMER_MS = 2_147_483_647;

const encoder = new TextEncoder();

/** A short, never-throwing rendering of a bad value for error messages (`String()` can throw). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

/**
 * Checks a lock key: a non-empty string of at most {@link MAX_KEY_BYTES} UTF-8 bytes without NUL.
 * @throws InvalidArgumentError naming `argument`.
 */
export function validateKey(key: unknown, argument = 'key'): string {
  if (typeof key !== 'string')
    throw new InvalidArgumentError(argument, `must be a string (got ${describeValue(key)})`);
  if (key.length === 0) throw new InvalidArgumentError(argument, 'must not be empty');
  if (key.includes('\u0000')) throw new InvalidArgumentError(argument, 'must not contain NUL characters');
  // A UTF-16 code unit is at most 3 UTF-8 bytes: short keys need no encoding to be measured.
  if (key.length * 3 <= MAX_KEY_BYTES) return key;
  const bytes = encoder.encode(key).length;
  if (bytes > MAX_KEY_BYTES) {
    throw new InvalidArgumentError(argument, `must be at most ${MAX_KEY_BYTES} UTF-8 bytes (got ${bytes})`);
  }
  return key;
}

/**
 * Checks that `options` is undefined or a plain object whose keys are all in `allowed`.
 * @throws InvalidArgumentError naming `argument` or the unknown option.
 */
export function validateOptionsObject<T extends object>(
  argument: string,
  options: unknown,
  allowed: readonly (keyof T & string)[],
): Partial<T> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidArgumentError(argument, `must be an object (got ${describeValue(options)})`);
  }
  for (const name of Object.keys(options)) {
    if (!(allowed as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(
        `${argument}.${name}`,
        `is not a known option (known: ${allowed.join(', ')})`,
      );
    }
  }
  return options as Partial<T>;
}

/** Bounds for {@link validateInteger}. */
export interface IntegerRule {
  /** Smallest value allowed (`1`: positive, `0`: non-negative). */
  readonly min: number;
  /**
   * Largest value allowed.
   * @defaultValue `Number.MAX_SAFE_INTEGER`
   */
  readonly max?: number;
  /**
   * Also accept `Infinity` (an unbounded wait).
   * @defaultValue false
   */
  readonly allowInfinity?: boolean;
}

/**
 * Checks an integer option, e.g. `ttlMs must be a positive integer at most 2147483647 (got -5)`.
 * @throws InvalidArgumentError naming `argument`.
 */
export function validateInteger(argument: string, value: unknown, rule: IntegerRule): number {
  const max = rule.max ?? Number.MAX_SAFE_INTEGER;
  const ok =
    typeof value === 'number' &&
    ((value === Number.POSITIVE_INFINITY && rule.allowInfinity === true) ||
      (Number.isInteger(value) && value >= rule.min && value <= max));
  if (!ok) {
    const kind =
      rule.min === 1
        ? 'a positive integer'
        : rule.min === 0
          ? 'a non-negative integer'
          : `an integer ≥ ${rule.min}`;
    const inf = rule.allowInfinity ? ' or Infinity' : '';
    throw new InvalidArgumentError(
      argument,
      `must be ${kind} at most ${max}${inf} (got ${describeValue(value)})`,
    );
  }
  return value;
}

/** @throws InvalidArgumentError naming `argument` unless `value` is a boolean. */
export function validateBoolean(argument: string, value: unknown): boolean {
  if (typeof value !== 'boolean')
    throw new InvalidArgumentError(argument, `must be a boolean (got ${describeValue(value)})`);
  return value;
}

/** @throws InvalidArgumentError naming `argument` unless `value` is an AbortSignal. */
export function validateSignal(argument: string, value: unknown): AbortSignal {
  if (!(value instanceof AbortSignal)) {
    throw new InvalidArgumentError(argument, `must be an AbortSignal (got ${describeValue(value)})`);
  }
  return value;
}

/**
 * Checks a clock option: anything with a `now()` method (a `Clock`, or `Date` as a wall clock).
 * @throws InvalidArgumentError naming `argument`.
 */
export function validateClock<
  T extends {
    /** Current time in milliseconds. */
    now(): number;
  } = Clock,
>(argument: string, value: unknown): T {
  const holder = typeof value === 'object' || typeof value === 'function' ? value : undefined;
  if (holder === undefined || holder === null || typeof (holder as { now?: unknown }).now !== 'function') {
    throw new InvalidArgumentError(
      argument,
      `must be a Clock: an object with a now() method (got ${describeValue(value)})`,
    );
  }
  return value as T;
}

/** {@link AcquireOptions} with defaults applied. */
export interface ResolvedAcquireOptions {
  /** {@link AcquireOptions.ttlMs}, default applied. */
  readonly ttlMs: number;
  /** {@link AcquireOptions.autoRenew}, default applied. */
  readonly autoRenew: boolean;
  /** {@link AcquireOptions.waitMs}, or the caller's default (`acquire`: Infinity, `tryAcquire`: 0). */
  readonly waitMs: number;
  /** {@link AcquireOptions.signal}, if given. */
  readonly signal: AbortSignal | undefined;
}

const ACQUIRE_OPTIONS = ['ttlMs', 'autoRenew', 'waitMs', 'signal'] as const;

/** Default lease length: {@link AcquireOptions.ttlMs}. */
export const DEFAULT_TTL_MS = 30_000;

/**
 * Checks acquire options and applies defaults (`ttlMs` 30 s, `autoRenew` true, `waitMs` as given).
 * @throws InvalidArgumentError naming the option, e.g. `options.ttlMs`.
 */
export function validateAcquireOptions(options: unknown, defaultWaitMs: number): ResolvedAcquireOptions {
  const o = validateOptionsObject<AcquireOptions>('options', options, ACQUIRE_OPTIONS);
  return {
    ttlMs:
      o.ttlMs === undefined
        ? DEFAULT_TTL_MS
        : validateInteger('options.ttlMs', o.ttlMs, { min: 1, max: MAX_TIMER_MS }),
    autoRenew: o.autoRenew === undefined ? true : validateBoolean('options.autoRenew', o.autoRenew),
    waitMs:
      o.waitMs === undefined
        ? defaultWaitMs
        : validateInteger('options.waitMs', o.waitMs, { min: 0, max: MAX_TIMER_MS, allowInfinity: true }),
    signal: o.signal === undefined ? undefined : validateSignal('options.signal', o.signal),
  };
}

/** Longest {@link ElectOptions.value}, in UTF-8 bytes. */
export const MAX_LEADER_VALUE_BYTES = 4096;

/** {@link ElectOptions} with defaults applied. */
export interface ResolvedElectOptions {
  /** {@link ElectOptions.value}, default `''`. */
  readonly value: string;
  /** {@link ElectOptions.ttlMs}, default applied. */
  readonly ttlMs: number;
  /** {@link ElectOptions.signal}, if given. */
  readonly signal: AbortSignal | undefined;
}

/**
 * Checks elect options and applies defaults (`value` '', `ttlMs` 30 s).
 * @throws InvalidArgumentError naming the option, e.g. `options.value`.
 */
export function validateElectOptions(options: unknown): ResolvedElectOptions {
  const o = validateOptionsObject<ElectOptions>('options', options, ['value', 'ttlMs', 'signal']);
  if (o.value !== undefined && typeof o.value !== 'string')
    throw new InvalidArgumentError('options.value', `must be a string (got ${describeValue(o.value)})`);
  const value = o.value ?? '';
  if (encoder.encode(value).byteLength > MAX_LEADER_VALUE_BYTES)
    throw new InvalidArgumentError('options.value', `must be at most ${MAX_LEADER_VALUE_BYTES} UTF-8 bytes`);
  return {
    value,
    ttlMs:
      o.ttlMs === undefined
        ? DEFAULT_TTL_MS
        : validateInteger('options.ttlMs', o.ttlMs, { min: 1, max: MAX_TIMER_MS }),
    signal: o.signal === undefined ? undefined : validateSignal('options.signal', o.signal),
  };
}

/**
 * Checks observe options.
 * @throws InvalidArgumentError naming the option.
 */
export function validateObserveOptions(options: unknown): {
  /** {@link ObserveOptions.signal}, if given. */
  readonly signal: AbortSignal | undefined;
} {
  const o = validateOptionsObject<ObserveOptions>('options', options, ['signal']);
  return { signal: o.signal === undefined ? undefined : validateSignal('options.signal', o.signal) };
}
