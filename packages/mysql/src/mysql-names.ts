import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '@locksmith/core';

/** Default prefix of every lock name (`GET_LOCK` names are global to the server, not per database). */
export const DEFAULT_PREFIX = 'locksmith:';
/** MySQL refuses `GET_LOCK` names over 64 characters. */
export const MAX_NAME_CHARS = 64;
/** Characters of base64url SHA-256 kept in a hashed name: 22 × 6 = 132 bits. */
const HASH_CHARS = 22;

/**
 * The server-side name of lock `key`: `<prefix><key>` when that is at most 63 characters;
 * otherwise exactly 64 characters, `<the first 41 characters of prefix+key>#<22 characters of
 * base64url SHA-256 of prefix+key>`. A literal name is never 64 characters long and a hashed one
 * always is, so no key maps onto another key's name (short of a SHA-256 collision). The same name
 * keys the `GET_LOCK` (session mode), the token row and the lease row (lease mode).
 */
export function mysqlLockName(prefix: string, key: string): string {
  const full = `${prefix}${key}`;
  const chars = [...full];
  if (chars.length < MAX_NAME_CHARS) return full;
  const hash = createHash('sha256').update(full, 'utf8').digest('base64url').slice(0, HASH_CHARS);
  return `${chars.slice(0, MAX_NAME_CHARS - HASH_CHARS - 1).join('')}#${hash}`;
}

/** Checks `options.prefix`: 0–32 characters, so a readable part of the key always fits. */
export function validatePrefix(prefix: unknown): string {
  if (typeof prefix !== 'string' || [...prefix].length > 32 || prefix.includes('\0')) {
    throw new InvalidArgumentError('options.prefix', 'must be a string of at most 32 characters without NUL');
  }
  return prefix;
}

/** Checks `options.table`: the prefix of the package's table names, a plain SQL identifier. */
export function validateTable(table: unknown): string {
  if (typeof table !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,47}$/.test(table)) {
    throw new InvalidArgumentError(
      'options.table',
      'must be 1–48 characters of letters, digits and _, not starting with a digit',
    );
  }
  return table;
}
