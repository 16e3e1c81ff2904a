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
 *   t<token>.held.<holder>.<seq>.<wall>.<boot>.<mono>
 *                                                  <holder> holds it with fencing token <token>;
 *                                                  <seq> counts the holder's renewals; the lease
 *                                                  ends at <mono> (ms of CLOCK_MONOTONIC) for a
 *                                                  reader on the same kernel boot <boot> (32 hex of
 *                                                  the kernel's boot_id, `x` when unknown), and at
 *                                                  <wall> (ms since the epoch) for anyone else
 *
 * Earlier versions wrote `t<token>.held.<holder>.<seq>.<wall>`; it is still read (by wall time).
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
      /** Wall-clock ms since the epoch: the deadline for readers on another boot or host. */
      readonly deadline: number;
      /** The writer's kernel boot id (32 hex), when it knew one. */
      readonly boot?: string;
      /** CLOCK_MONOTONIC ms on that boot: the deadline for readers on the same boot. */
      readonly monoDeadline?: number;
    };

/** Where a held state's lease ends, on both clocks; see the names above. */
export interface StateDeadline {
  readonly wall: number;
  readonly boot: string | undefined;
  readonly mono: number;
}

const FREE = /^t(\d{1,30})\.free$/;
const HELD =
  /^t(\d{1,30})\.held\.([A-Za-z0-9-]{1,80})\.(\d{1,15})\.(\d{1,16})(?:\.([0-9a-f]{32}|x)\.(\d{1,16}))?$/;

/** The entry name of a free key whose last token was `token`. */
export function freeName(token: bigint): string {
  return `t${token}.free`;
}

/** The entry name of a held key. Deadlines are rounded up: a reader waits at most 1 ms longer. */
export function heldName(token: bigint, holder: string, seq: number, deadline: StateDeadline): string {
  const boot = deadline.boot ?? 'x';
  return `t${token}.held.${holder}.${seq}.${Math.ceil(deadline.wall)}.${boot}.${Math.ceil(deadline.mono)}`;
}

/** Parses an entry name; `undefined` for anything that is not a state entry. */
export function parseState(name: string): FileLockState | undefined {
  const free = FREE.exec(name);
  if (free?.[1] !== undefined) return { kind: 'free', name, token: BigInt(free[1]) };
  const held = HELD.exec(name);
  if (held?.[1] === undefined || held[2] === undefined || held[3] === undefined || held[4] === undefined)
    return undefined;
  const state = {
    kind: 'held' as const,
    name,
    token: BigInt(held[1]),
    holder: held[2],
    seq: Number(held[3]),
    deadline: Number(held[4]),
  };
  if (held[5] === undefined || held[6] === undefined) return state;
  return held[5] === 'x'
    ? { ...state, monoDeadline: Number(held[6]) }
    : { ...state, boot: held[5], monoDeadline: Number(held[6]) };
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

/** Prefix of scratch directories in the lock directory (never mistaken for a key directory). */
export const SCRATCH_PREFIX = '.init-';

/** Name of a scratch directory in the lock directory. */
export function scratchName(): string {
  return `${SCRATCH_PREFIX}${process.pid}-${randomBytes(8).toString('hex')}`;
}
