import { type Clock, InvalidArgumentError, systemClock } from '@locksmith/core';
import { validateClock, validateOptionsObject } from '@locksmith/core/protocol';

/**
 * One claim on a key: a waiter until granted, then the hold. The space calls its callbacks
 * synchronously, so the claimant can read its own clock at the exact moment of the grant.
 */
export interface MemoryClaim {
  /** Lease length the hold gets when granted, in ms. */
  readonly ttlMs: number;
  /** The key was granted to this claim with fencing token `token`. Must not throw. */
  granted(token: bigint): void;
  /**
   * A granted hold was dropped without being released: `taken` by {@link MemorySpace.forget},
   * `expired` when its TTL ran out and a waiter got the key. Must not throw.
   */
  lost(reason: 'expired' | 'taken'): void;
}

/** What {@link MemorySpace.peek} reports about a key. */
export interface MemoryKeyState {
  /** Token of the live hold, `undefined` when the key is free. */
  readonly token: bigint | undefined;
  /** Milliseconds until the live hold expires (space clock), `undefined` when free. */
  readonly expiresInMs: number | undefined;
  /** Claims queued behind the hold. */
  readonly waiters: number;
}

/** Options of {@link createMemorySpace}. */
export interface MemorySpaceOptions {
  /**
   * Monotonic clock on which the space measures TTLs (the "server" clock of the in-process backend).
   * @defaultValue `systemClock` from `@locksmith/core`
   */
  readonly clock?: Clock;
}

interface HeldClaim {
  readonly claim: MemoryClaim;
  readonly token: bigint;
  expiresAt: number;
}

interface KeyState {
  hold: HeldClaim | undefined;
  /** FIFO: the head gets the key on release or expiry; nobody can take it past a queued claim. */
  readonly queue: MemoryClaim[];
}

/**
 * The shared state of in-process locks: who holds each key, until when, and who waits for it.
 * Clients built on the same space contend for the same keys. Every method is synchronous.
 *
 * Fencing tokens come from one counter for the whole space, so they strictly increase per key
 * (and across keys) while a key that is free and unwaited-for costs no memory at all.
 */
export class MemorySpace {
  readonly #clock: Clock;
  readonly #keys = new Map<string, KeyState>();
  /** Keys that have both a hold and waiters: the only ones whose expiry needs a timer. */
  readonly #contended = new Set<string>();
  #counter = 0n;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Number.POSITIVE_INFINITY;

  constructor(clock: Clock = systemClock) {
    this.#clock = clock;
  }

  /**
   * Grants `key` to `claim` at once when it is free and nobody is queued (no barging past
   * waiters). Returns whether it was granted; `claim.granted` has then already been called.
   */
  tryTake(key: string, claim: MemoryClaim): boolean {
    const state = this.#settle(key);
    if (state !== undefined && (state.hold !== undefined || state.queue.length > 0)) return false;
    this.#grant(key, state ?? this.#state(key), claim);
    return true;
  }

  /**
   * Queues `claim` behind the current hold and the earlier waiters. Returns a function that
   * removes the claim from the queue; it does nothing once the claim was granted.
   */
  enqueue(key: string, claim: MemoryClaim): () => void {
    const state = this.#state(key);
    state.queue.push(claim);
    // The hold may already have expired, or the key may be free: settle hands it to the head.
    this.#settle(key);
    this.#track(key);
    return () => {
      const current = this.#keys.get(key);
      const index = current?.queue.indexOf(claim) ?? -1;
      if (current === undefined || index < 0) return;
      current.queue.splice(index, 1);
      this.#track(key);
      this.#drop(key, current);
    };
  }

  /** Releases the hold with `token` on `key` and hands the key to the next waiter. */
  release(key: string, token: bigint): boolean {
    const state = this.#settle(key);
    if (state?.hold?.token !== token) return false;
    state.hold = undefined;
    this.#handOff(key, state);
    return true;
  }

  /**
   * Extends the hold with `token` to `ttlMs` from now. `false` when that hold is gone: released,
   * dropped by {@link MemorySpace.forget}, or expired (an expired hold is never revived).
   */
  extend(key: string, token: bigint, ttlMs: number): boolean {
    const state = this.#settle(key);
    if (state?.hold?.token !== token) return false;
    state.hold.expiresAt = this.#clock.now() + ttlMs;
    if (this.#contended.has(key)) this.#schedule();
    return true;
  }

  /**
   * Drops the hold on `key` as if its holder had lost it (for fault tests): the holder's renewals
   * fail from now on, it is told at once (`lease.signal` aborts with reason `taken`), and the next
   * waiter gets the key. Returns whether a live hold was dropped.
   */
  forget(key: string): boolean {
    const state = this.#settle(key);
    const hold = state?.hold;
    if (state === undefined || hold === undefined) return false;
    state.hold = undefined;
    this.#handOff(key, state);
    hold.claim.lost('taken');
    return true;
  }

  /** The state of `key` right now (expired holds count as free). */
  peek(key: string): MemoryKeyState {
    const state = this.#settle(key);
    const hold = state?.hold;
    return {
      token: hold?.token,
      expiresInMs: hold === undefined ? undefined : hold.expiresAt - this.#clock.now(),
      waiters: state?.queue.length ?? 0,
    };
  }

  #state(key: string): KeyState {
    let state = this.#keys.get(key);
    if (state === undefined) {
      state = { hold: undefined, queue: [] };
      this.#keys.set(key, state);
    }
    return state;
  }

  /** Frees an expired hold (handing the key to the head waiter); returns the key's state. */
  #settle(key: string): KeyState | undefined {
    const state = this.#keys.get(key);
    if (state === undefined) return undefined;
    const hold = state.hold;
    if (hold !== undefined && hold.expiresAt <= this.#clock.now()) {
      state.hold = undefined;
      const handedTo = this.#handOff(key, state);
      // Without a waiter nobody got the key: the holder's keeper already saw its own (earlier) deadline.
      if (handedTo) hold.claim.lost('expired');
    } else if (hold === undefined && state.queue.length > 0) {
      this.#handOff(key, state);
    }
    return this.#keys.get(key);
  }

  /** Gives a free key to its head waiter, if any. Returns whether someone got it. */
  #handOff(key: string, state: KeyState): boolean {
    const next = state.queue.shift();
    if (next === undefined) {
      this.#track(key);
      this.#drop(key, state);
      return false;
    }
    this.#grant(key, state, next);
    return true;
  }

  #grant(key: string, state: KeyState, claim: MemoryClaim): void {
    this.#counter += 1n;
    state.hold = { claim, token: this.#counter, expiresAt: this.#clock.now() + claim.ttlMs };
    this.#track(key);
    claim.granted(this.#counter);
  }

  #drop(key: string, state: KeyState): void {
    if (state.hold === undefined && state.queue.length === 0 && this.#keys.get(key) === state)
      this.#keys.delete(key);
  }

  /** Keeps {@link MemorySpace.#contended} and the expiry timer in step with `key`. */
  #track(key: string): void {
    const state = this.#keys.get(key);
    const contended = state?.hold !== undefined && state.queue.length > 0;
    if (contended === this.#contended.has(key) && !contended) return;
    if (contended) this.#contended.add(key);
    else this.#contended.delete(key);
    this.#schedule();
  }

  /** One timer for the whole space, at the earliest expiry of a hold somebody waits behind. */
  #schedule(): void {
    let next = Number.POSITIVE_INFINITY;
    for (const key of this.#contended) {
      const at = this.#keys.get(key)?.hold?.expiresAt;
      if (at !== undefined && at < next) next = at;
    }
    if (next === this.#timerAt) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = next;
    if (next === Number.POSITIVE_INFINITY) return;
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, Math.ceil(next - this.#clock.now())));
    // Waiting on a lock must not keep the process alive on its own.
    this.#timer.unref?.();
  }

  #expire(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    for (const key of [...this.#contended]) this.#settle(key);
    this.#schedule();
  }
}

/**
 * Creates an isolated lock space: clients built on it contend only with each other.
 * @throws InvalidArgumentError on a bad option.
 */
export function createMemorySpace(options?: MemorySpaceOptions): MemorySpace {
  const o = validateOptionsObject<MemorySpaceOptions>('options', options, ['clock']);
  return new MemorySpace(o.clock === undefined ? systemClock : validateClock('options.clock', o.clock));
}

const DEFAULT_SPACE = Symbol.for('locksmith.memory.defaultSpace.v1');

/**
 * The process-wide space that `memoryLocks()` uses when no space is given. It lives on
 * `globalThis` under a registered symbol, so an ESM and a CJS copy of this package loaded into one
 * process still share it (two spaces would silently break mutual exclusion).
 */
export function defaultMemorySpace(): MemorySpace {
  const holder = globalThis as { [DEFAULT_SPACE]?: MemorySpace };
  holder[DEFAULT_SPACE] ??= new MemorySpace(systemClock);
  return holder[DEFAULT_SPACE];
}

/** @throws InvalidArgumentError unless `value` is a {@link MemorySpace}. */
export function validateSpace(argument: string, value: unknown): MemorySpace {
  const ok =
    value instanceof MemorySpace ||
    (typeof value === 'object' &&
      value !== null &&
      ['tryTake', 'enqueue', 'release', 'extend', 'forget', 'peek'].every(
        (m) => typeof (value as Record<string, unknown>)[m] === 'function',
      ));
  if (!ok) throw new InvalidArgumentError(argument, 'must be a MemorySpace from createMemorySpace()');
  return value as MemorySpace;
}
