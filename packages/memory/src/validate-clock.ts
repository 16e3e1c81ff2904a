import { type Clock, InvalidArgumentError } from '@locksmith/core';

/** @throws InvalidArgumentError unless `value` is an object with a `now()` method. */
export function validateClock(argument: string, value: unknown): Clock {
  if (typeof value !== 'object' || value === null || typeof (value as { now?: unknown }).now !== 'function') {
    throw new InvalidArgumentError(argument, 'must be a Clock: an object with a now() method');
  }
  return value as Clock;
}
