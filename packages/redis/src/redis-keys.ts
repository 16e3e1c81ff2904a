import { InvalidArgumentError } from '@locksmith/core';

/** The Redis keys of one lock. All share the hash tag `{<prefix>:<key>}`, so they live in one slot. */
export interface RedisLockKeys {
  /** Holds `<holder id>:<token>` with a PX expiry while the lock is held; also the wake-up channel. */
  readonly lock: string;
  /**
   * The last fencing token drawn. Expires a second after the lock's TTL: tokens are at least the
   * server's time in µs, so they keep increasing without it.
   */
  readonly token: string;
  /** ZSET of waiters scored by arrival (server time, µs). */
  readonly queue: string;
  /** HASH waiter id → expiry (server time, ms): a waiter that stops refreshing its entry drops out. */
  readonly waiters: string;
}

/** Default key prefix. */
export const DEFAULT_PREFIX = 'locksmith';

/**
 * Checks a key prefix: 1–64 characters without braces (a brace would move the hash tag) or NUL.
 * @throws InvalidArgumentError naming `argument`.
 */
export function validatePrefix(prefix: unknown, argument = 'options.prefix'): string {
  if (typeof prefix !== 'string')
    throw new InvalidArgumentError(argument, `must be a string (got ${typeof prefix})`);
  if (prefix.length === 0 || prefix.length > 64) {
    throw new InvalidArgumentError(argument, `must be 1 to 64 characters long (got ${prefix.length})`);
  }
  if (prefix.includes('{') || prefix.includes('}') || prefix.includes('\u0000'))
    throw new InvalidArgumentError(argument, 'must not contain "{", "}" or NUL');
  return prefix;
}

/**
 * The keys of the lock `key`: `{<prefix>:<key>}` and that name with `:token`, `:queue`, `:waiters`
 * appended. The lock key ends in `}` and the others do not, so no two locks share a key, whatever
 * characters `key` holds; and every key of one lock hashes to the same Redis Cluster slot (the
 * tag is the text between the first `{` and the first `}` after it, identical for all four).
 */
export function redisLockKeys(prefix: string, key: string): RedisLockKeys {
  const lock = `{${prefix}:${key}}`;
  return { lock, token: `${lock}:token`, queue: `${lock}:queue`, waiters: `${lock}:waiters` };
}
