import { randomBytes } from 'node:crypto';
import { InvalidArgumentError } from '@locksmith/core';

/** Default prefix of every key this package writes. */
export const DEFAULT_PREFIX = 'locksmith';

/**
 * The Consul KV key of lock `key`: `<prefix>/<key, URI-encoded>`. Encoding keeps a `/` in a lock
 * key from nesting one lock under another's path.
 */
export function consulLockKey(prefix: string, key: string): string {
  return `${prefix}/${encodeURIComponent(key)}`;
}

/**
 * The Consul KV key of election `name`: `<prefix>:elect/<name, URI-encoded>`, apart from every
 * lock's key, so an election and a lock of one name never meet.
 */
export function consulElectionKey(prefix: string, name: string): string {
  return `${prefix}:elect/${encodeURIComponent(name)}`;
}

/** A random id for one lock client (64 bits): the value of the keys it holds and its sessions' name. */
export function newClientId(): string {
  return randomBytes(8).toString('hex');
}

/**
 * Checks the `prefix` option: 1–128 characters, not starting or ending with `/`.
 * @throws InvalidArgumentError naming `options.prefix`.
 */
export function validatePrefix(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 128) {
    throw new InvalidArgumentError(
      'options.prefix',
      `must be a string of 1–128 characters (got ${JSON.stringify(value)})`,
    );
  }
  if (value.startsWith('/') || value.endsWith('/')) {
    throw new InvalidArgumentError(
      'options.prefix',
      `must not start or end with "/" (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}
