import { randomBytes } from 'node:crypto';
import { InvalidArgumentError } from '@locksmith/core';

/** Default parent path of every node this package writes. */
export const DEFAULT_PREFIX = '/locksmith';

/**
 * The znode under which lock `key`'s queue lives: `<prefix>/<key, URI-encoded, "." as %2E>`.
 * Encoding keeps `/` in a key from nesting one lock inside another and leaves only characters
 * ZooKeeper accepts; escaping `.` rules out the reserved names `.` and `..`.
 */
export function zookeeperLockPath(prefix: string, key: string): string {
  return `${prefix}/${encodeURIComponent(key).replaceAll('.', '%2E')}`;
}

/**
 * The znode under which election `name`'s candidates queue: `<prefix>:elect/<name, encoded as a
 * lock key>`, apart from every lock's path, so an election and a lock of one name never meet.
 */
export function zookeeperElectionPath(prefix: string, name: string): string {
  return zookeeperLockPath(`${prefix}:elect`, name);
}

/** A random id for one lock client (64 bits); its nodes are tagged `_c_<id><n>-lock-`. */
export function newClientId(): string {
  return randomBytes(8).toString('hex');
}

/**
 * The name prefix of one attempt's node: the protected-create tag (as Curator's protected mode),
 * unique per attempt, so a node whose create reply was lost can be found again by its name. The
 * server appends a 10-digit sequence number.
 */
export function nodePrefix(tag: string): string {
  return `_c_${tag}-lock-`;
}

const SEQUENCED = /-lock-(\d{10})$/;

/** The sequence number of a queue node's name, or `undefined` for a node that is not one. */
export function sequenceOf(name: string): number | undefined {
  const match = SEQUENCED.exec(name);
  return match === null ? undefined : Number(match[1]);
}

/** The parent paths of `path`, outermost first, `path` included: `/a/b` → `/a`, `/a/b`. */
export function ancestry(path: string): string[] {
  const parts = path.split('/').slice(1);
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
}

/**
 * Checks the `prefix` option: an absolute znode path of 2–128 characters of `A-Za-z0-9/._~%+@:=-`,
 * not ending in `/`, without empty, `.` or `..` components.
 * @throws InvalidArgumentError naming `options.prefix`.
 */
export function validatePrefix(value: unknown): string {
  const fail = (rule: string) =>
    new InvalidArgumentError('options.prefix', `${rule} (got ${JSON.stringify(value)})`);
  if (typeof value !== 'string' || value.length < 2 || value.length > 128)
    throw fail('must be a string of 2–128 characters');
  if (!value.startsWith('/') || value.endsWith('/')) throw fail('must start with "/" and not end with "/"');
  const parts = value.split('/').slice(1);
  if (parts.some((p) => p === '' || p === '.' || p === '..'))
    throw fail('must not contain empty, "." or ".." components');
  // A plain ASCII set: ZooKeeper refuses control characters and several unicode ranges in paths.
  if (!/^[A-Za-z0-9/._~%+@:=-]+$/.test(value))
    throw fail('may hold only letters, digits, "/" and . _ ~ % + @ : = -');
  return value;
}
