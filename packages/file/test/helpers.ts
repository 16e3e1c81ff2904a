import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyDirName } from '../src/file-names.ts';
import { readState, swapState } from '../src/file-state.ts';

/** A fresh lock directory under the OS temp dir; removed by the returned cleanup. */
export async function tempLockDir(
  label = 'locksmith-file-',
): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), label));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The entries of `key`'s directory under `dir`. */
export function entriesOf(dir: string, key: string): Promise<string[]> {
  return readdir(join(dir, keyDirName(key)));
}

/**
 * Plays "another process took the lock over": swaps the held state of `key` for a free one, as a
 * takeover would, so the holder's next renewal fails. The conformance suite's `loseLease` hook.
 */
export async function dropFileLock(dir: string, key: string): Promise<void> {
  const keyDir = join(dir, keyDirName(key));
  const read = await readState(keyDir);
  if (read.kind !== 'state' || read.state.kind !== 'held') throw new Error(`${key} is not held`);
  if (!(await swapState(keyDir, read.state.name, `t${read.state.token}.free`)))
    throw new Error(`${key} changed meanwhile`);
}
