import type { LocksmithError } from './errors.ts';

/** What a mechanism guarantees; the conformance suite and the bench read it. */
export interface Capabilities {
  /**
   * `strict`: `lease.token` strictly increases per key across successive holders.
   * `best-effort`: tokens usually increase but a fault can repeat or reorder them (Redlock).
   */
  readonly fencing: 'strict' | 'best-effort';
  /** `push`: a waiter is woken by the release itself. `poll`: a waiter retries on a backoff schedule. */
  readonly wait: 'push' | 'poll';
  /** Waiters on one key are served in arrival order (the backend's README says in which scope). */
  readonly fifo: boolean;
  /** Primitives the backend offers on this contract. */
  readonly primitives: readonly Primitive[];
}

/**
 * A primitive a backend can offer on this contract: `lock` (acquire/withLock), `semaphore`,
 * `readWrite`, `elect` (leader election, see {@link Elector}).
 */
export type Primitive = 'lock' | 'semaphore' | 'readWrite' | 'elect';

/** Options of {@link LockClient.acquire}. Unknown options are rejected. */
export interface AcquireOptions {
  /**
   * Lease length in milliseconds: how long the lock stays held if this process stops renewing it
   * (it crashed or lost its connection). Longer means fewer renewals but a longer wait for others
   * after a crash. Positive integer, at most 2^31-1.
   * @defaultValue 30_000
   */
  readonly ttlMs?: number;
  /**
   * Keep the lease alive in the background until it is released. With `false`, the lease ends
   * after `ttlMs` unless `lease.extend()` is called, and `lease.signal` aborts when it does.
   * @defaultValue true
   */
  readonly autoRenew?: boolean;
  /**
   * How long `acquire` may wait for the lock, in milliseconds; `0` tries once. Non-negative
   * integer or `Infinity`.
   * @defaultValue Infinity
   */
  readonly waitMs?: number;
  /** Cancels the wait; the promise then rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/**
 * A held lock. Dispose it (`await using`) or call {@link Lease.release}. Watch {@link Lease.signal}
 * in long work: it aborts, with a {@link LockLostError}, when the lease is lost.
 */
export interface Lease extends AsyncDisposable {
  /** The key this lease holds, as passed to `acquire`. */
  readonly key: string;
  /**
   * Fencing token. Where `capabilities.fencing === 'strict'` it is strictly greater than the token
   * of every earlier holder of this key; pass it with every write to the protected resource.
   */
  readonly token: bigint;
  /** Aborts with a `LockLostError` when the lease is lost, or is released by `close()`. */
  readonly signal: AbortSignal;
  /** True until the lease is released or lost. */
  readonly held: boolean;
  /**
   * Extends the lease to `ttlMs` from now (default: the ttl it was acquired with).
   * @throws LockLostError if the lease was lost; LockNotHeldError if it was released;
   *   BackendUnavailableError if the backend could not be reached (the lease may still be held).
   */
  extend(ttlMs?: number): Promise<void>;
  /**
   * Releases the lock if this lease still holds it; never releases another holder's lock.
   * Idempotent: later calls resolve at once.
   * @throws BackendUnavailableError if the backend could not be reached; the lock then ends at
   *   its TTL.
   */
  release(): Promise<void>;
}

/** Events a {@link LockClient} emits. Nothing is thrown when no listener is attached. */
export interface LockClientEvents {
  /** A background failure: a lease lost (`LockLostError`) or a release that failed at close. */
  error: (error: LocksmithError, key: string) => void;
}

/** One mechanism's lock client. Every backend package exports a factory returning one. */
export interface LockClient {
  /** The backend's name, e.g. `redis`, `redlock`, `memory`. */
  readonly backend: string;
  /** What this mechanism guarantees (fencing, wake-up, FIFO, primitives); fixed for the client's life. */
  readonly capabilities: Capabilities;
  /**
   * Waits for the lock on `key` and returns its lease.
   * @throws InvalidArgumentError on a bad key or option (before any I/O);
   *   LockTimeoutError after `waitMs`; `signal.reason` when aborted;
   *   BackendUnavailableError when the backend fails or the client is closed.
   */
  acquire(key: string, options?: AcquireOptions): Promise<Lease>;
  /**
   * Like {@link LockClient.acquire}, but resolves `undefined` instead of waiting (or, with
   * `waitMs`, instead of throwing `LockTimeoutError`).
   * @defaultValue `waitMs: 0`
   */
  tryAcquire(key: string, options?: AcquireOptions): Promise<Lease | undefined>;
  /**
   * Runs `fn` while holding the lock and releases it afterwards, also when `fn` throws.
   * `fn` should stop its work when `lease.signal` aborts.
   */
  withLock<T>(key: string, fn: (lease: Lease) => Promise<T> | T, options?: AcquireOptions): Promise<T>;
  /** Adds a listener for a {@link LockClientEvents} event; without one, `error` events are dropped, not thrown. */
  on<E extends keyof LockClientEvents>(event: E, listener: LockClientEvents[E]): this;
  /** Removes a listener added with {@link LockClient.on}. */
  off<E extends keyof LockClientEvents>(event: E, listener: LockClientEvents[E]): this;
  /**
   * Rejects pending acquires, releases every lease this client holds (their signals abort with
   * reason `closed`) and closes what the client opened. Idempotent. Clients passed in by the user
   * are left open.
   */
  close(): Promise<void>;
}

/** Options of {@link Elector.elect}. Unknown options are rejected. */
export interface ElectOptions {
  /**
   * What observers see while this candidate leads (an address, a node id). At most
   * {@link MAX_LEADER_VALUE_BYTES} UTF-8 bytes.
   * @defaultValue `''`
   */
  readonly value?: string;
  /**
   * Lease length of the leadership in milliseconds: how long it outlives this process if the
   * process stops renewing it. Renewed in the background until `resign()`.
   * @defaultValue 30_000
   */
  readonly ttlMs?: number;
  /** Withdraws the candidacy while it waits; `elect` then rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/**
 * Leadership of one election, won by {@link Elector.elect}: a lease on the election. Dispose it
 * (`await using`) or call {@link Leadership.resign}.
 */
export interface Leadership extends AsyncDisposable {
  /** The election's name. */
  readonly name: string;
  /** The value this leader campaigned with. */
  readonly value: string;
  /**
   * Strictly greater than the term of every earlier leader of `name`: pass it with every write
   * to the resource the leader owns, exactly like `lease.token`, so a deposed leader's late
   * writes are refused.
   */
  readonly term: bigint;
  /** Aborts with a `LockLostError` when leadership is lost (or on `close()`). */
  readonly signal: AbortSignal;
  /** True until this leader resigns or loses leadership. */
  readonly isLeader: boolean;
  /** Steps down, so the next candidate in line leads. Idempotent. */
  resign(): Promise<void>;
}

/** A leader as observers see it. */
export interface LeaderInfo {
  /** The value the leader campaigned with ({@link ElectOptions.value}). */
  readonly value: string;
  /** The leader's term: strictly greater than every earlier leader's ({@link Leadership.term}). */
  readonly term: bigint;
}

/** Options of {@link Elector.observe}. */
export interface ObserveOptions {
  /** Ends the iteration (it returns; it does not throw). */
  readonly signal?: AbortSignal;
}

/**
 * Leader election, on backends that list `'elect'` in `capabilities.primitives`. Candidates
 * queue in order and are woken by push, like waiters on a lock.
 */
export interface Elector {
  /**
   * Campaigns in election `name` and resolves once this candidate leads. Waits without bound
   * unless `options.signal` aborts (the candidacy then leaves the queue).
   * @throws InvalidArgumentError on a bad name or option (before any I/O); `signal.reason` when
   *   aborted; BackendUnavailableError when the backend fails or the client is closed.
   */
  elect(name: string, options?: ElectOptions): Promise<Leadership>;
  /**
   * The current leader of `name` (when there is one), then each new leader, without
   * campaigning: for followers that route work to the leader. Terms only increase; a leader that
   * comes and goes between two reads may be skipped (an observer learns the latest leader, not
   * the full history). Ends when `options.signal` aborts or the client closes.
   * @throws InvalidArgumentError on a bad name or option, at the call.
   */
  observe(name: string, options?: ObserveOptions): AsyncIterable<LeaderInfo>;
}

/** A lock client that also runs elections (`capabilities.primitives` includes `'elect'`). */
export type ElectionClient = LockClient & Elector;
