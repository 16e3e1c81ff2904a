import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Names inside the lock directory.
 *
 * Each key has a directory `<dir>/k-<readable>-<hash>` that always holds exactly one entry: the
 * key's state, encoded in the entry's NAME (never in its contents, so one `rename` changes the
 * whole state atomically):
 *
 *   t<token>.free                                  nobody holds it; <token> is the last one issued
 *   t<token>.held.<holder>.<seq>.<deadline>        <holder> holds it with fencing token <token>
 *                                                  until <deadline> (wall-clock ms since the epoch);
 *                                                  <seq> counts the holder's renewals
 */

/** Longest readable part of a key directory's name; the hash keeps longer keys apart. */
const READABLE_CHARS = 48;

/**
 * The directory name of `key`: a readable prefix (characters outside `[A-Za-z0-9_.-]` become `_`,
 * at most 48) plus 128 bits of SHA-256 in lowercase hex. The hash makes the name unique, also on
 * case-insensitive file systems and for keys that share a prefix; the prefix is for humans.
 */
export function keyDirName(key: string): string {
  const readable = key.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, READABLE_CHARS);
  const hash = createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32);
  return `k-${readable}-${hash}`;
}

/** A key's state as its directory entry names it. */
export type FileLockState =
  | { readonly kind: 'free'; readonly name: string; readonly token: bigint }
  | {
      readonly kind: 'held';
      readonly name: string;
      readonly token: bigint;
      readonly holder: string;
      readonly seq: number;
      /** Wall-clock ms since the epoch. */
      readonly deadline: number;
    };

const FREE = /^t(\d{1,30})\.free$/;
const HELD = /^t(\d{1,30})\.held\.([A-Za-z0-9-]{1,80})\.(\d{1,15})\.(\d{1,16})$/;

/** The entry name of a free key whose last token was `token`. */
export function freeName(token: bigint): string {
  return `t${token}.free`;
}

/** The entry name of a held key. */
export function heldName(token: bigint, holder: string, seq: number, deadline: number): string {
  return `t${token}.held.${holder}.${seq}.${Math.ceil(deadline)}`;
}

/** Parses an entry name; `undefined` for anything that is not a state entry. */
export function parseState(name: string): FileLockState | undefined {
  const free = FREE.exec(name);
  if (free?.[1] !== undefined) return { kind: 'free', name, token: BigInt(free[1]) };
  const held = HELD.exec(name);
  if (held?.[1] === undefined || held[2] === undefined || held[3] === undefined || held[4] === undefined)
    return undefined;
  return {
    kind: 'held',
    name,
    token: BigInt(held[1]),
    holder: held[2],
    seq: Number(held[3]),
    deadline: Number(held[4]),
  };
}

const HOST =
  hostname()
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 16) || 'host';

/**
 * A holder id, new for every acquisition: `<host>-<pid>-<random>`. Host and pid tell a human
 * which process holds a lock; the 64 random bits make the id, and so every entry name, unique.
 */
export function newHolderId(): string {
  return `${HOST}-${process.pid}-${randomBytes(8).toString('hex')}`;
}

/** Name of a scratch directory in the lock directory (never mistaken for a key directory). */
export function scratchName(): string {
  return `.init-${process.pid}-${randomBytes(8).toString('hex')}`;
}
