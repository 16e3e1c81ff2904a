import { mkdir, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeyDir, readState, swapState } from '../src/file-state.ts';
import { tempLockDir } from './helpers.ts';

let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => {
  ({ dir, remove } = await tempLockDir());
});
afterEach(() => remove());

describe('file state', () => {
  it('creates a key directory holding t0.free, once, even when many race', async () => {
    const keyDir = join(dir, 'nested', 'k-x');
    expect(await readState(keyDir)).toEqual({ kind: 'missing' });
    await Promise.all(Array.from({ length: 20 }, () => createKeyDir(join(dir, 'nested'), keyDir, 0n)));
    expect(await readdir(keyDir)).toEqual(['t0.free']);
    expect(await readdir(join(dir, 'nested'))).toEqual(['k-x']); // no scratch directories left
  });

  it('does not reset a key directory that exists', async () => {
    const keyDir = join(dir, 'k-x');
    await createKeyDir(dir, keyDir, 0n);
    expect(await swapState(keyDir, 't0.free', 't7.free')).toBe(true);
    await createKeyDir(dir, keyDir, 0n);
    expect(await readdir(keyDir)).toEqual(['t7.free']);
  });

  it('swap is a compare-and-swap: of many racers from one state, exactly one wins', async () => {
    const keyDir = join(dir, 'k-x');
    await createKeyDir(dir, keyDir, 0n);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => swapState(keyDir, 't0.free', `t1.held.racer-${i}.0.1`)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const entries = await readdir(keyDir);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toBe(`t1.held.racer-${results.indexOf(true)}.0.1`);
  });

  it('reports an unclear directory rather than guessing', async () => {
    const keyDir = join(dir, 'k-x');
    await mkdir(keyDir);
    await (await open(join(keyDir, 't1.free'), 'w')).close();
    await (await open(join(keyDir, 't2.free'), 'w')).close();
    expect(await readState(keyDir)).toEqual({
      kind: 'unclear',
      entries: expect.arrayContaining(['t1.free', 't2.free']),
    });
  });

  it('ignores foreign files next to the state', async () => {
    const keyDir = join(dir, 'k-x');
    await createKeyDir(dir, keyDir, 0n);
    await (await open(join(keyDir, '.DS_Store'), 'w')).close();
    expect(await readState(keyDir)).toEqual({
      kind: 'state',
      state: { kind: 'free', name: 't0.free', token: 0n },
    });
  });
});
