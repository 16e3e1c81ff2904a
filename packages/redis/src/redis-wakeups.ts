import type { Clock } from '@locksmith/core';
import type { Redis } from 'ioredis';

/** One waiting acquire, as the wake-up hub sees it. */
export interface Wakeable {
  /** True while the channel is subscribed: a release from now on reaches this waiter. */
  readonly isSubscribed: boolean;
  /**
   * Subscribes the channel (once per client; the first waiter of a key pays one SUBSCRIBE).
   * Resolves `true` once subscribed, `false` if that failed (the waiter then relies on polling).
   */
  subscribe(): Promise<boolean>;
  /**
   * The grant message addressed to this waiter (`<id> <token> <attempt> <µs>`), once a release
   * handed it the lock; kept until the waiter closes.
   */
  readonly grant: string | undefined;
  /** Forgets plain wake-ups that arrived so far (never a grant); call just before an attempt. */
  clear(): void;
  /**
   * Resolves as soon as a wake-up or grant for this waiter arrives (at once if one arrived since
   * {@link Wakeable.clear}), or when the waiter closes. Core's wait loop races it with the retry
   * time and the abort signal; an earlier call's promise is dropped.
   */
  next(): Promise<void>;
  /** Unregisters the waiter. */
  close(): void;
}

interface Waiter {
  readonly id: string;
  /** Wakes on any message of the channel (Redlock) instead of only on its own id. */
  readonly any: boolean;
  woken: boolean;
  grant: string | undefined;
  wake: (() => void) | undefined;
}

interface Channel {
  readonly waiters: Set<Waiter>;
  /** Named messages that arrived for no registered waiter, by id (a waiter may register a moment later). */
  readonly unclaimed: Map<string, string>;
  /** When the last message of any kind arrived. */
  lastMessageAt: number;
  subscribed: Promise<boolean> | undefined;
  active: boolean;
  idleSince: number;
}

/**
 * The wake-up channels of one Redis server, on one subscriber connection per client (made with
 * `client.duplicate()` on first use and closed by {@link RedisWakeups.close}): the client's own
 * channel, where grants to its queued waiters arrive, and for Redlock one channel per contended
 * key. A channel stays subscribed for `lingerMs` after its last waiter left, so steady contention
 * costs no SUBSCRIBE/UNSUBSCRIBE per acquisition. One sweep timer per client, never one per lock.
 */
export class RedisWakeups {
  readonly #client: Redis;
  readonly #clock: Clock;
  readonly #lingerMs: number;
  readonly #channels = new Map<string, Channel>();
  #subscriber: Redis | undefined;
  #readyCount = 0;
  #sweep: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(client: Redis, clock: Clock, lingerMs: number) {
    this.#client = client;
    this.#clock = clock;
    this.#lingerMs = lingerMs;
  }

  /**
   * Registers a waiter for wake-ups on `channel` named `id` (or, with `any`, every message). No
   * I/O: an acquire that succeeds at its first attempt never gets here. A wake-up that arrived
   * for this id (or, with `any`, any message) at or after `since` — between the attempt and this
   * call — counts, so registering after the first attempt loses nothing.
   */
  register(channel: string, id: string, any: boolean, since: number): Wakeable {
    const state = this.#channel(channel);
    const waiter: Waiter = { id, any, woken: false, grant: undefined, wake: undefined };
    state.waiters.add(waiter);
    const early = state.unclaimed.get(id);
    if (early !== undefined) {
      state.unclaimed.delete(id);
      this.#deliver(waiter, early);
    } else if (any && state.lastMessageAt >= since) waiter.woken = true;
    return {
      get isSubscribed() {
        return state.active;
      },
      get grant() {
        return waiter.grant;
      },
      subscribe: () => this.#subscribe(channel, state),
      clear: () => {
        waiter.woken = false;
      },
      next: () => this.#next(waiter),
      close: () => {
        state.waiters.delete(waiter);
        waiter.wake?.();
        if (state.waiters.size > 0) return;
        state.idleSince = this.#clock.now();
        // Never subscribed: nothing to linger for.
        if (state.subscribed === undefined && this.#channels.get(channel) === state)
          this.#channels.delete(channel);
      },
    };
  }

  /** Unsubscribes and closes the subscriber connection; waiters are woken (their loops see the abort). */
  close(): void {
    this.#closed = true;
    clearInterval(this.#sweep);
    for (const state of this.#channels.values()) for (const waiter of state.waiters) waiter.wake?.();
    this.#channels.clear();
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    if (subscriber) {
      subscriber.removeAllListeners('message');
      subscriber.removeAllListeners('ready');
      subscriber.disconnect();
    }
  }

  #channel(name: string): Channel {
    let state = this.#channels.get(name);
    if (!state) {
      state = {
        waiters: new Set(),
        unclaimed: new Map(),
        lastMessageAt: Number.NEGATIVE_INFINITY,
        subscribed: undefined,
        active: false,
        idleSince: 0,
      };
      this.#channels.set(name, state);
    }
    return state;
  }

  #subscribe(name: string, state: Channel): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    if (state.subscribed) return state.subscribed;
    const subscriber = this.#ensureSubscriber();
    state.subscribed = subscriber.subscribe(name).then(
      () => {
        state.active = true;
        return true;
      },
      () => {
        // Not subscribed (connection down): waiters fall back to polling; the next waiter retries.
        state.subscribed = undefined;
        return false;
      },
    );
    return state.subscribed;
  }

  #ensureSubscriber(): Redis {
    if (this.#subscriber) return this.#subscriber;
    const subscriber = this.#client.duplicate();
    // Connection errors reach the user through their own client; this one only carries wake-ups.
    subscriber.on('error', () => undefined);
    subscriber.on('message', (channel: string, message: string) => this.#onMessage(channel, message));
    subscriber.on('ready', () => {
      // After a reconnect, messages may have been missed while ioredis resubscribed: wake everyone.
      if (++this.#readyCount > 1)
        for (const state of this.#channels.values()) for (const w of state.waiters) this.#wake(w);
    });
    this.#subscriber = subscriber;
    this.#sweep = setInterval(() => this.#unsubscribeIdle(), this.#lingerMs);
    this.#sweep.unref?.();
    return subscriber;
  }

  #onMessage(channel: string, message: string): void {
    const state = this.#channels.get(channel);
    if (!state) return;
    state.lastMessageAt = this.#clock.now();
    const space = message.indexOf(' ');
    const id = space < 0 ? message : message.slice(0, space);
    let claimed = id === '*';
    for (const waiter of state.waiters) {
      if (waiter.id === id) {
        claimed = true;
        this.#deliver(waiter, message);
      } else if (waiter.any || id === '*') this.#wake(waiter);
    }
    if (!claimed) {
      state.unclaimed.set(id, message);
      // Ids are unique per acquire; only the last few can still be claimed.
      if (state.unclaimed.size > 64) state.unclaimed.delete(state.unclaimed.keys().next().value as string);
    }
  }

  #deliver(waiter: Waiter, message: string): void {
    if (message.includes(' ')) waiter.grant = message;
    this.#wake(waiter);
  }

  #wake(waiter: Waiter): void {
    waiter.woken = true;
    waiter.wake?.();
  }

  #next(waiter: Waiter): Promise<void> {
    if (waiter.woken || waiter.grant !== undefined) {
      waiter.woken = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      waiter.wake = () => {
        waiter.wake = undefined;
        waiter.woken = false;
        resolve();
      };
    });
  }

  #unsubscribeIdle(): void {
    const now = this.#clock.now();
    for (const [name, state] of this.#channels) {
      if (state.waiters.size > 0 || now - state.idleSince < this.#lingerMs) continue;
      if (state.subscribed && !state.active) continue; // still subscribing: look again next sweep
      this.#channels.delete(name);
      if (state.active) this.#subscriber?.unsubscribe(name).catch(() => undefined);
    }
  }
}
