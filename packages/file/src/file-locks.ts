import { join } from 'node:path';
import type { BackoffSequence, BackoffStrategy } from '@locksmith/backoff';
import { BackendUnavailableError, type Capabilities, type Clock, type LockClient } from '@locksmith/core';
import {
  type AcquireRequest,
  createLockClient,
  type ExtendRequest,
  type Hold,
  type LockAttempt,
  type LockProtocol,
} from '@locksmith/core/protocol';
import { heldName, keyDirName, newHolderId } from './file-names.ts';
import {
  type FileLocksOptions,
  type ResolvedFileLocksOptions,
  resolveFileLocksOptions,
} from './file-options.ts';
import { createKeyDir, readState, swapState } from './file-state.ts';
import { SWEEP_EVERY_MS, SWEEP_TIMING, type SweepTiming, sweepLockDir } from './file-sweep.ts';
import { singleKernelFileSystem } from './file-system-kind.ts';
import { DirectoryWatches } from './file-watch.ts';
import { deadlineIn, type HostClock, hostClock, leaseEnded, nextToken, tokenFloor } from './host-clock.ts';

/** A hold on a file lock: where its state lives and the entry name that currently says "mine". */
export interface FileHold extends Hold {
  /** The key's directory inside `options.dir` (its name from {@link keyDirName}). */
  readonly keyDir: string;
  /** This acquisition's id (host, pid, random): the entry naming it says the lock is ours. */
  readonly holder: string;
}

/** Mutable part of a hold, changed by each renewal; kept out of the user-visible object. */
interface HoldState {
  name: string;
  seq: number;
  /** Renewals and the release of one hold run one after another: each renames the previous name. */
  chain: Promise<unknown>;
}

/** What the file backend guarantees: strict tokens; waiters poll, in no particular order. */
export const FILE_CAPABILITIES: Capabilities = Object.freeze({
  fencing: 'strict',
  wait: 'poll',
  fifo: false,
  primitives: Object.freeze(['lock'] as const),
});

/** Attempts per poll when the state keeps changing under us (each retry follows a fresh read). */
const SWAP_ROUNDS = 4;

/**
 * Locks between processes that share a file system: one small directory per key under `dir`,
 * whose single entry names the holder, its fencing token and its lease deadline. Every change of
 * state is one atomic `rename` of that entry (a compare-and-swap), so a stale lock is taken over
 * safely even when several processes try at once, and a holder that lost its lock can neither
 * renew nor release the next holder's. Waiters poll with jittered exponential backoff.
 *
 * Trade-offs: waiting is polling (a release is noticed within one backoff delay, at most
 * `pollMs`, or at once when `fs.watch` reports the change, as it does on local file systems).
 * Deadlines in the directory are compared on CLOCK_MONOTONIC between processes of one kernel boot
 * (no wall-clock step moves them), and on wall time only against a holder on another boot or
 * host, whose clock must then agree with the reader's to within the lease drift margin (1% of
 * the TTL + 2 ms by default). What a key leaves in the directory is removed about a second after
 * it is released or its lease ends, by any open client of the directory.
 *
 * @example
 * ```ts
 * const locks = fileLocks({ dir: '/var/lock/myapp' });
 * await locks.withLock('invoice:42', (lease) => charge(42, lease.token));
 * ```
 * @throws InvalidArgumentError on an unknown option or a bad value, before any I/O.
 */
export function fileLocks(options: FileLocksOptions): LockClient {
  return fileLocksWith(resolveFileLocksOptions(options));
}

/** What tests may change beyond the options: the host's clocks and the sweep's timing. */
export interface FileInternals {
  readonly host?: HostClock;
  readonly sweep?: SweepTiming & { readonly everyMs?: { readonly min: number; readonly max: number } };
  /** Whether only this kernel can reach the directory; found with `statfs` when not given. */
  readonly singleKernel?: boolean;
}

/** {@link fileLocks} on resolved options; not exported from the package. */
export function fileLocksWith(o: ResolvedFileLocksOptions, internals: FileInternals = {}): LockClient {
  const protocol = new FileProtocol(o, internals.host ?? hostClock(o.wallClock), internals.sweep);
  if (internals.singleKernel !== undefined) protocol.singleKernel = internals.singleKernel;
  return createLockClient(protocol, { keeper: o.keeper, clock: o.clock });
}

class FileProtocol implements LockProtocol<FileHold> {
  readonly backend = 'file';
  readonly capabilities = FILE_CAPABILITIES;
  readonly #holds = new WeakMap<FileHold, HoldState>();
  readonly watches = new DirectoryWatches();
  private readonly dir: string;
  private readonly strategy: BackoffStrategy;
  private readonly clock: Clock;
  private readonly watch: boolean;
  #sweepTimer: ReturnType<typeof setTimeout> | undefined;
  #sweeping: Promise<unknown> = Promise.resolve();
  #closed = false;
  /** See {@link singleKernelFileSystem}; `undefined` until the directory could be examined. */
  singleKernel: boolean | undefined;

  constructor(
    o: ResolvedFileLocksOptions,
    private readonly host: HostClock,
    private readonly sweep: NonNullable<FileInternals['sweep']> = SWEEP_TIMING,
  ) {
    this.dir = o.dir;
    this.strategy = o.strategy;
    this.clock = o.clock;
    this.watch = o.watch;
  }

  /**
   * One acquire on core's wait loop: each try reads the key and takes it when free or stale; a
   * waiter then sleeps one backoff step, cut short when `fs.watch` reports a change in the key
   * directory (a release was likely), after which the backoff starts again from its first step.
   */
  attempt(key: string, { ttlMs, wait }: AcquireRequest): LockAttempt<FileHold> {
    this.#scheduleSweep();
    const keyDir = join(this.dir, keyDirName(key));
    let polls: BackoffSequence | undefined;
    let unsubscribe: (() => void) | undefined;
    let changed = false;
    let notify: (() => void) | undefined;
    const onChange = () => {
      changed = true;
      notify?.();
    };
    return {
      take: async () => {
        changed = false;
        const hold = await this.#tryOnce(key, keyDir, ttlMs); // the first try creates the directory
        if (hold !== undefined) return { hold };
        if (!wait) return { retryMs: 0 };
        if (this.watch && unsubscribe === undefined) unsubscribe = this.watches.subscribe(keyDir, onChange);
        // After a change, the next release is likely soon: start the backoff again.
        if (polls === undefined || changed) polls = this.strategy.start();
        const wake = this.watch
          ? new Promise<void>((resolve) => {
              notify = resolve;
              if (changed) resolve(); // it changed while we were reading: look again at once
            })
          : undefined;
        return { retryMs: polls.nextDelay(), ...(wake ? { wake } : {}) };
      },
      leave: async (late) => {
        unsubscribe?.();
        if (late !== undefined) await this.release(late);
      },
    };
  }

  release(hold: FileHold): Promise<boolean> {
    return this.#serial(hold, (state) => swapState(hold.keyDir, state.name, `t${hold.token}.free`));
  }

  extend(requests: readonly ExtendRequest<FileHold>[]): Promise<boolean[]> {
    return Promise.all(requests.map(({ hold, ttlMs }) => this.#extendOne(hold, ttlMs)));
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#sweepTimer);
    await this.#sweeping;
    // Core has already aborted every wait; this only catches a watcher a racing wait left behind.
    this.watches.closeAll();
  }

  /**
   * From this client's first acquire until close(), sweeps the directory every 0.5–1 s, so what
   * released and expired keys leave is removed even when nobody uses those keys again (issue 8,
   * bug 7). One unref'd timer per client; it never keeps the process alive.
   */
  #scheduleSweep(): void {
    if (this.#sweepTimer !== undefined || this.#closed) return;
    const { min, max } = this.sweep.everyMs ?? SWEEP_EVERY_MS;
    this.#sweepTimer = setTimeout(
      () => {
        this.#sweeping = sweepLockDir(this.dir, this.host, this.sweep, this.singleKernel)
          .catch(() => 0)
          .finally(() => {
            this.#sweepTimer = undefined;
            this.#scheduleSweep();
          });
      },
      min + Math.random() * (max - min),
    );
    this.#sweepTimer.unref?.();
  }

  /** One look at the key: take it when free or stale. `undefined` when someone holds it. */
  async #tryOnce(key: string, keyDir: string, ttlMs: number): Promise<FileHold | undefined> {
    let unclear: readonly string[] = [];
    for (let round = 0; round < SWAP_ROUNDS; round += 1) {
      const read = await this.#read(keyDir);
      if (read.kind === 'missing') {
        await this.#wrap(() => createKeyDir(this.dir, keyDir, tokenFloor(this.host)));
        continue;
      }
      if (read.kind === 'unclear') {
        unclear = read.entries;
        continue;
      }
      const { state } = read;
      this.singleKernel ??= await singleKernelFileSystem(this.dir);
      if (state.kind === 'held' && !leaseEnded(state, this.host, this.singleKernel)) return undefined;
      const sentAt = this.clock.now();
      const holder = newHolderId();
      const token = nextToken(state.token, this.host);
      const name = heldName(token, holder, 0, deadlineIn(this.host, ttlMs));
      if (await this.#swap(keyDir, state.name, name)) {
        const hold: FileHold = { key, token, sentAt, ttlMs, keyDir, holder };
        this.#holds.set(hold, { name, seq: 0, chain: Promise.resolve() });
        return hold;
      }
    }
    if (unclear.length > 0) {
      throw new BackendUnavailableError(
        'file',
        `lock directory ${keyDir} does not hold exactly one lock state (found: ${unclear.slice(0, 5).join(', ')})`,
      );
    }
    return undefined;
  }

  #extendOne(hold: FileHold, ttlMs: number): Promise<boolean> {
    return this.#serial(hold, async (state) => {
      const seq = state.seq + 1;
      const name = heldName(hold.token, hold.holder, seq, deadlineIn(this.host, ttlMs));
      if (!(await swapState(hold.keyDir, state.name, name))) return false;
      state.name = name;
      state.seq = seq;
      return true;
    });
  }

  /** Runs `op` on the hold's state after the hold's earlier operations. */
  #serial(hold: FileHold, op: (state: HoldState) => Promise<boolean>): Promise<boolean> {
    const state = this.#holds.get(hold);
    if (state === undefined) return Promise.resolve(false);
    const result = state.chain.then(() => this.#wrap(() => op(state)));
    state.chain = result.catch(() => undefined);
    return result;
  }

  async #read(keyDir: string) {
    return this.#wrap(() => readState(keyDir));
  }

  async #swap(keyDir: string, from: string, to: string): Promise<boolean> {
    return this.#wrap(() => swapState(keyDir, from, to));
  }

  /** File-system errors other than the expected ones mean the directory is unusable. */
  async #wrap<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (error) {
      if (BackendUnavailableError.isInstance(error)) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new BackendUnavailableError('file', `${this.dir}: ${message}`, { cause: error });
    }
  }
}
