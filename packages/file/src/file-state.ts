import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type FileLockState, freeName, parseState, scratchName } from './file-names.ts';

/*
 * Why this is safe (the whole argument; see file-names.ts for the names).
 *
 * A key's directory always holds exactly one state entry, and every change of state is ONE
 * `rename(<dir>/<old name>, <dir>/<new name>)` whose old name is the exact state the caller saw:
 *
 *   acquire (free)    t5.free                    -> t6.held.A.0.<deadline>
 *   take over (stale) t6.held.A.3.<past>         -> t7.held.B.0.<deadline>
 *   renew             t7.held.B.0.<d1>           -> t7.held.B.1.<d2>
 *   release           t7.held.B.1.<d2>           -> t7.free
 *
 * rename() is atomic: within one directory the kernel looks the old name up and moves it under the
 * directory's lock, so of two renames of the same old name exactly one succeeds and the other gets
 * ENOENT. That makes each transition a compare-and-swap on the full state. Consequences:
 *
 * - Two processes that both see `t5.free` (or both see the same stale holder) both try to rename
 *   it; one wins, the other gets ENOENT, reads again and sees the winner. No window exists in which
 *   the lock is absent: a takeover is a single rename from the stale state to the new holder, not
 *   "delete the stale file, then create mine".
 * - A stale holder that wakes up late can no longer renew or release: its rename names a state
 *   that is gone (the taker renamed it), so it gets ENOENT and learns it lost the lock. It can never
 *   delete or overwrite the new holder's state, because it only ever renames names that contain its
 *   own holder id and renewal counter, which no other state carries.
 * - A renewal racing a takeover: both rename the same old name, one wins. If the renewal wins, the
 *   taker gets ENOENT and sees the fresh deadline; if the taker wins, the renewal reports `false`.
 * - Every target name is new: it carries a fresh random holder id or a bumped renewal counter, or
 *   is `t<token>.free`, which only the holder of <token> can create. So a rename never replaces a
 *   live entry.
 * - Tokens: the new holder's token is the token in the name it replaced, plus one. Since that name
 *   was the current state (the CAS succeeded), tokens strictly increase across successive holders
 *   and persist in the directory. The counter lives in the very entry the CAS swaps, so no second
 *   file can fall behind or be written by a stale holder.
 * - Creation: a key directory is built complete (holding `t<wall µs>.free`) in a scratch directory and
 *   renamed into place. rename() of a directory succeeds only onto a missing or EMPTY directory,
 *   so a racing second creator fails (ENOTEMPTY/EEXIST) instead of resetting the token.
 * - A reader may see zero or two entries if a rename runs during readdir (POSIX leaves it
 *   unspecified); it then reads again. Wrong reads only cost a retry: every write is a CAS.
 *
 * - Removal (file-sweep.ts): an unused key's state is deleted with `unlink(<dir>/<name>)` of the
 *   exact name read, also a compare-and-swap (names are never reused: see tokens below), then the
 *   empty directory with `rmdir`. A racing acquirer's rename then fails, it reads the key as
 *   missing and creates it again; a racing creator's rename onto the empty directory either
 *   lands first (rmdir fails ENOTEMPTY and leaves it) or after (onto a missing name). A renewal
 *   racing the removal of its expired state fails, as it would against a takeover.
 * - Tokens after a removal (or a wiped directory) restart from the wall time in µs, which is
 *   above every earlier token as long as the wall clock has not gone back past it: removal
 *   waits until the wall time is a second past the token (file-sweep.ts), and every token is
 *   at least the wall time in µs when issued (host-clock.ts).
 *
 * What it relies on: atomic rename and unlink within a directory (local file systems; NFS
 * servers do it atomically, but a lost reply can make a successful rename look failed, leaving
 * the lock held until its deadline); for deadlines, CLOCK_MONOTONIC between processes of one
 * boot, and wall clocks that agree to within the lease drift margin between hosts (host-clock.ts).
 */

/** What a read of a key directory found. */
export type ReadResult =
  | { readonly kind: 'state'; readonly state: FileLockState }
  | { readonly kind: 'missing' }
  /** Not exactly one state entry: a rename was in flight during readdir, or the directory was tampered with. */
  | { readonly kind: 'unclear'; readonly entries: readonly string[] };

export function code(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as { code?: string }).code : undefined;
}

/** Reads the state of the key directory `keyDir`. */
export async function readState(keyDir: string): Promise<ReadResult> {
  let names: string[];
  try {
    names = await readdir(keyDir);
  } catch (error) {
    if (code(error) === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  const states = names.map(parseState).filter((s) => s !== undefined);
  const [only] = states;
  if (states.length === 1 && only !== undefined) return { kind: 'state', state: only };
  return names.length === 0 ? { kind: 'missing' } : { kind: 'unclear', entries: names };
}

/**
 * Creates the key directory `keyDir` (in `dir`) holding `t<token>.free`, unless it exists and is
 * not empty. Built in a scratch directory and renamed into place, so nobody sees a half-made one.
 * Callers pass the token floor (wall µs): a fresh token also keeps a sweep from removing the new
 * key before its creator has read it.
 */
export async function createKeyDir(dir: string, keyDir: string, token: bigint): Promise<void> {
  await mkdir(dir, { recursive: true });
  const scratch = join(dir, scratchName());
  try {
    await mkdir(scratch);
    await (await open(join(scratch, freeName(token)), 'wx')).close();
    await rename(scratch, keyDir);
  } catch (error) {
    // Someone else created it first: theirs stands (it may already carry later tokens). ENOENT: a
    // sweep removed our scratch directory while we were paused for a minute; the caller reads again.
    if (code(error) !== 'ENOTEMPTY' && code(error) !== 'EEXIST' && code(error) !== 'ENOENT') throw error;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The compare-and-swap of a key's state: renames `from` to `to` inside `keyDir`. Resolves `false`
 * when `from` is no longer there (somebody changed the state first).
 */
export async function swapState(keyDir: string, from: string, to: string): Promise<boolean> {
  try {
    await rename(join(keyDir, from), join(keyDir, to));
    return true;
  } catch (error) {
    if (code(error) === 'ENOENT') return false;
    throw error;
  }
}
