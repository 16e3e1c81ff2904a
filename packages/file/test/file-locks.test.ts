import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { constant } from '@locksmith/backoff';
import { BackendUnavailableError, type LockClient, LockLostError, LockTimeoutError } from '@locksmith/core';
import { sleep } from '@locksmith/core/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileLocksWith } from '../src/file-locks.ts';
import { heldName, keyDirName, type StateDeadline } from '../src/file-names.ts';
import { resolveFileLocksOptions } from '../src/file-options.ts';
import { hostClock } from '../src/host-clock.ts';
import { type FileLocksOptions, fileLocks } from '../src/index.ts';
import { entriesOf, tempLockDir } from './helpers.ts';

let dir: string;
let remove: () => Promise<void>;
const clients: LockClient[] = [];
function client(options: Partial<FileLocksOptions> = {}): LockClient {
  const { pollMs = 10, ...rest } = options;
  const c = fileLocks(rest.backoff === undefined ? { dir, pollMs, ...rest } : { dir, ...rest });
  clients.push(c);
  return c;
}
beforeEach(async () => {
  ({ dir, remove } = await tempLockDir());
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await remove();
});

const host = hostClock(Date);
/** A deadline `ms` from now on this host (negative: passed). */
function inMs(ms: number): StateDeadline {
  return { wall: host.wall() + ms, boot: host.boot, mono: host.mono() + ms };
}

/** Leaves `key` held by a process that died: a held state whose deadline is `deadline`. */
async function plantDeadHolder(key: string, token: bigint, deadline: StateDeadline): Promise<void> {
  const locks = client();
  await (await locks.acquire(key)).release(); // creates the key directory
  const [free] = await entriesOf(dir, key);
  await rename(
    join(dir, keyDirName(key), free!),
    join(dir, keyDirName(key), heldName(token, 'dead-1-00', 3, deadline)),
  );
}

describe('fileLocks', () => {
  it('names holder, token and deadline in the key directory, and frees it on release', async () => {
    const lease = await client().acquire('invoice:42', { ttlMs: 5_000 });
    const [entry] = await entriesOf(dir, 'invoice:42');
    expect(entry).toMatch(
      new RegExp(
        `^t${lease.token}\\.held\\.[A-Za-z0-9]+-${process.pid}-[0-9a-f]{16}\\.0\\.\\d+\\.([0-9a-f]{32}|x)\\.\\d+$`,
      ),
    );
    const deadline = Number(entry!.split('.')[4]);
    expect(deadline).toBeGreaterThan(Date.now());
    expect(deadline).toBeLessThanOrEqual(Date.now() + 5_000);
    await lease.release();
    expect(await entriesOf(dir, 'invoice:42')).toEqual([`t${lease.token}.free`]);
  });

  it('renewal renames the entry with a later deadline and a bumped counter', async () => {
    const lease = await client().acquire('k', { ttlMs: 60_000, autoRenew: false });
    const [before] = await entriesOf(dir, 'k');
    await lease.extend();
    const [after] = await entriesOf(dir, 'k');
    expect(after).not.toBe(before);
    expect(after!.split('.')[3]).toBe('1');
    await lease.release();
  });

  it('tokens persist in the directory across clients', async () => {
    const first = await client().acquire('k');
    await first.release();
    const second = await fileLocks({ dir }).tryAcquire('k');
    expect(second?.token).toBeGreaterThan(first.token);
    await second?.release();
  });

  it('takes over a stale lock left by a dead process, with the next token', async () => {
    await plantDeadHolder('k', 41n, inMs(-1));
    const lease = await client().tryAcquire('k');
    expect(lease?.token).toBeGreaterThan(41n);
    await lease?.release();
  });

  it('does not take over a lock whose deadline has not passed', async () => {
    await plantDeadHolder('k', 41n, inMs(60_000));
    expect(await client().tryAcquire('k')).toBeUndefined();
    await expect(client().acquire('k', { waitMs: 50 })).rejects.toSatisfy(LockTimeoutError.isInstance);
  });

  it('of many processes taking over one stale lock at once, exactly one wins', async () => {
    await plantDeadHolder('k', 7n, inMs(-1));
    const results = await Promise.all(
      Array.from({ length: 12 }, () => client().tryAcquire('k', { ttlMs: 60_000 })),
    );
    const winners = results.filter((l) => l !== undefined);
    expect(winners).toHaveLength(1);
    expect(winners[0]!.token).toBeGreaterThan(7n);
    expect(await entriesOf(dir, 'k')).toHaveLength(1);
  });

  it('a holder whose lock was taken over can neither renew nor release the new holder', async () => {
    const slow = await client().acquire('k', { ttlMs: 60_000, autoRenew: false });
    // Another host (another boot) whose clock runs an hour ahead sees the lease as stale and takes it over.
    const ahead = fileLocksWith(resolveFileLocksOptions({ dir, pollMs: 10 }), {
      host: { boot: 'f'.repeat(32), mono: () => 0, wall: () => Date.now() + 3_600_000 },
      singleKernel: false, // the directory is shared with another host, as over NFS
    });
    clients.push(ahead);
    const taker = await ahead.tryAcquire('k', { ttlMs: 60_000 });
    expect(taker?.token).toBeGreaterThan(slow.token);
    await expect(slow.extend()).rejects.toSatisfy(
      (e: unknown) => LockLostError.isInstance(e) && e.reason === 'taken',
    );
    expect(slow.signal.aborted).toBe(true);
    await slow.release();
    const [entry] = await entriesOf(dir, 'k');
    expect(entry).toMatch(new RegExp(`^t${taker?.token}\\.held\\.`));
    await taker?.release();
  });

  it('a waiter polls until the holder releases', async () => {
    const [a, b] = [client(), client()];
    const lease = await a.acquire('k');
    const waiting = b.acquire('k', { waitMs: 10_000 });
    await sleep(30);
    await lease.release();
    const next = await waiting;
    expect(next.token).toBeGreaterThan(lease.token);
    await next.release();
  });

  it('a release on this host wakes a waiter through fs.watch, long before its next poll', async () => {
    const holder = client();
    const waiter = client({ backoff: constant(60_000) });
    const lease = await holder.acquire('k');
    const waiting = waiter.acquire('k', { waitMs: 20_000 }); // < one poll delay: only the watch can wake it
    await sleep(30);
    await lease.release();
    const next = await waiting;
    expect(next.token).toBeGreaterThan(lease.token);
    await next.release();
  });

  it('without the watch hint, a waiter only polls', async () => {
    const holder = client();
    const waiter = client({ backoff: constant(60_000), watch: false });
    const lease = await holder.acquire('k');
    const waiting = waiter.acquire('k', { waitMs: 300 });
    await sleep(30);
    await lease.release();
    await expect(waiting).rejects.toSatisfy(LockTimeoutError.isInstance);
  });

  it('reports a directory it cannot use as BackendUnavailableError', async () => {
    const file = join(dir, 'not-a-dir');
    await writeFile(file, 'x');
    await expect(fileLocks({ dir: file }).tryAcquire('k')).rejects.toSatisfy(
      BackendUnavailableError.isInstance,
    );
  });

  it('reports a key directory that holds two states instead of picking one', async () => {
    await (await client().acquire('k')).release();
    await writeFile(join(dir, keyDirName('k'), 't9.free'), '');
    await expect(client().tryAcquire('k')).rejects.toSatisfy(BackendUnavailableError.isInstance);
  });

  it('creates the lock directory on first use', async () => {
    const lease = await fileLocks({ dir: join(dir, 'a', 'b') }).acquire('k');
    expect(lease.token).toBeGreaterThan(0n);
    await lease.release();
  });

  it('declares its capabilities', () => {
    expect(client().capabilities).toEqual({
      fencing: 'strict',
      wait: 'poll',
      fifo: false,
      primitives: ['lock'],
    });
    expect(client().backend).toBe('file');
  });
});
