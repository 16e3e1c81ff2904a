import { randomBytes } from 'node:crypto';
import { InvalidArgumentError } from '@locksmith/core';

/** Default prefix of every key this package writes. */
export const DEFAULT_PREFIX = 'locksmith';

/**
 * The etcd key prefix under which the queue of lock `key` lives: `<prefix>/<key, URI-encoded>/`.
 * Encoding keeps `/` in a lock key from nesting one lock's queue inside another's
 * (`a` and `a/b` would otherwise share a range).
 */
export function etcdLockPrefix(prefix: string, key: string): string {
  return `${prefix}/${encodeURIComponent(key)}/`;
}

/**
 * The etcd key prefix of election `name`'s candidates: `<prefix>:elect/<name, URI-encoded>/`.
 * Apart from every lock's range (`<prefix>/…`), so an election and a lock of one name never meet.
 */
export function etcdElectionPrefix(prefix: string, name: string): string {
  return `${prefix}:elect/${encodeURIComponent(name)}/`;
}

/** The end of the range of keys starting with `prefix` (etcd's "prefix end": last byte + 1). */
export function rangeEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i -= 1) {
    if ((end[i] as number) < 0xff) {
      end[i] = (end[i] as number) + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]); // all 0xff: to the end of the keyspace
}

/** A random id for one lock client (64 bits); its queue entries are `<id>-<n>`, unique per acquisition. */
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
