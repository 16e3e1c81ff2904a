import { InvalidArgumentError } from '@locksmith/core';
import { describeValue } from '@locksmith/core/protocol';

/**
 * The resource side of fencing tokens: decides whether a write carrying a lock's token may land.
 * A write is accepted only when its token is at least the highest token seen for that resource, and
 * an accepted token is recorded. Equal tokens are accepted, because one holder writes many times
 * under one lease; a lower token is a holder that lost its lease (paused, partitioned, expired) and
 * must not overwrite its successor's work.
 */
export interface FenceStore {
  /**
   * Accepts (and records) `token` for `resource` when it is ≥ the highest seen, else rejects it.
   * @returns `true` when the write may proceed, `false` when its token is stale.
   */
  accept(resource: string, token: bigint): Promise<boolean>;
}

/** Largest token a PostgreSQL `BIGINT` column holds (2^63 − 1). */
export const MAX_BIGINT_TOKEN = 9_223_372_036_854_775_807n;

/**
 * Checks a fencing token: a non-negative bigint, at most `max`.
 * @throws InvalidArgumentError naming `argument`.
 */
export function validateToken(argument: string, token: unknown, max?: bigint): bigint {
  if (typeof token !== 'bigint' || token < 0n || (max !== undefined && token > max)) {
    const bound = max === undefined ? '' : ` at most ${max}`;
    throw new InvalidArgumentError(
      argument,
      `must be a non-negative bigint${bound} (got ${describeValue(token)})`,
    );
  }
  return token;
}

/** @throws InvalidArgumentError naming `argument` unless `value` is a non-empty string. */
export function validateName(argument: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidArgumentError(argument, `must be a non-empty string (got ${describeValue(value)})`);
  }
  return value;
}
