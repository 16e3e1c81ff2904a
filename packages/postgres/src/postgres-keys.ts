import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '@locksmith/core';

/** Default prefix: of the table and sequence names, the NOTIFY channel, and every hashed key. */
export const DEFAULT_PREFIX = 'locksmith';

/**
 * The 64-bit advisory lock key of lock `key`: the first 8 bytes of SHA-256 over the UTF-8 bytes of
 * `<prefix>:<key>`, read as a signed big-endian integer (PostgreSQL's `bigint`). Any string maps;
 * two distinct keys share an advisory lock only on a hash collision (chance ≈ n² / 2⁶⁵ among n
 * keys in use at once: about 1 in 10⁸ for 100,000 keys). A collision makes two keys exclude each
 * other, never two holders of one key. Lease mode also uses it for its per-key transaction lock
 * and NOTIFY payload; its rows are keyed by the full string.
 */
export function advisoryKey(prefix: string, key: string): bigint {
  const digest = createHash('sha256').update(`${prefix}:${key}`, 'utf8').digest();
  return digest.readBigInt64BE(0);
}

/** The names this package creates in the database, all derived from the prefix. */
export interface SchemaNames {
  /** Sequence of fencing tokens (both modes). */
  readonly sequence: string;
  /** Lease rows (lease mode). */
  readonly table: string;
  /** NOTIFY channel of releases (lease mode); the payload is the advisory key in decimal. */
  readonly channel: string;
}

/** `<prefix>_token`, `<prefix>_lease`, `<prefix>_release` (unquoted identifiers: lower case). */
export function schemaNames(prefix: string): SchemaNames {
  return { sequence: `${prefix}_token`, table: `${prefix}_lease`, channel: `${prefix}_release` };
}

const PREFIX = /^[a-z_][a-z0-9_]{0,39}$/;

/**
 * Checks the `prefix` option: it becomes part of SQL identifiers, so 1–40 characters of `a-z`,
 * `0-9` and `_`, not starting with a digit.
 * @throws InvalidArgumentError naming `options.prefix`.
 */
export function validatePrefix(value: unknown): string {
  if (typeof value !== 'string' || !PREFIX.test(value)) {
    throw new InvalidArgumentError(
      'options.prefix',
      `must be 1–40 characters of a-z, 0-9 and _, not starting with a digit (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}
