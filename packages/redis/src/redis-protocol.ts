import { randomFillSync } from 'node:crypto';
import { type BackoffSequence, type BackoffStrategy, constant } from '@locksmith/backoff';
import { type Capabilities, type Clock, LockLostError } from '@locksmith/core';
import {
  type AcquireRequest,
  Cleanups,
  type ExtendRequest,
  type Hold,
  type LockAttempt,
  type LockProtocol,
} from '@locksmith/core/protocol';
import type { RedisInstance } from './redis-instance.ts';
import { type RedisLockKeys, redisLockKeys } from './redis-keys.ts';
import type { Wakeable } from './redis-wakeups.ts';

/** A lock held on one Redis server. */
export interface RedisHold extends Hold {
  /** Random holder id; the lock's value is `<id>:<token>`. */
  readonly id: string;
  readonly keys: RedisLockKeys;
}

/** Settings shared by the single-instance and Redlock protocols (validated by `redisLocks`). */
export interface ProtocolSettings {
  readonly prefix: string;
  readonly clock: Clock;
  /** Longest sleep of a waiter between attempts (the poll fallback), jittered down to half. */
  readonly pollIntervalMs: number;
  /** How long past its retry time a queued waiter keeps its place in the queue. */
  readonly queueGraceMs: number;
  /** Bound on how long `close()` waits for background clean-up (dequeueing aborted waiters). */
  readonly closeTimeoutMs: number;
}

/** Random bytes for holder ids, filled 256 ids at a time (one `randomBytes(16)` costs ~50× more). */
const idPool = Buffer.alloc(16 * 256);
let idOffset = idPool.length;

/**
 * A new holder id: 128 random bits in 22 characters (base64url, no `/`). Short on purpose: it goes
 * with every acquire and release (and is kept in the lock's value), and bytes on the wire cost
 * CPU on both ends.
 */
export function newHolderId(): string {
  if (idOffset === idPool.length) {
    randomFillSync(idPool);
    idOffset = 0;
  }
  idOffset += 16;
  return idPool.toString('base64url', idOffset - 16, idOffset);
}

/**
 * The single-instance protocol: a lock is a key set by the acquire script; waiters queue in a
 * server-side FIFO and the release grants the lock to the next one, telling only its process by
 * PUBLISH; renewals of all due leases go out in one round trip. A lease is reported lost as soon as the connection closes
 * (see the README: a restarted Redis without persistence has forgotten the key).
 */
export class RedisProtocol implements LockProtocol<RedisHold> {
  readonly backend = 'redis';
  readonly capabilities: Capabilities = { fencing: 'strict', wait: 'push', fifo: true, primitives: ['lock'] };
  readonly #instance: RedisInstance;
  readonly #settings: ProtocolSettings;
  readonly #polls: BackoffStrategy;
  readonly #holds = new Set<RedisHold>();
  readonly #cleanups: Cleanups;
  /** This client's wake-up channel: a random id (128 bits), also the prefix of its holder ids. */
  readonly #channel = newHolderId();
  #sequence = 0;
  #stopLossWatch: (() => void) | undefined;

  constructor(instance: RedisInstance, settings: ProtocolSettings) {
    this.#instance = instance;
    this.#settings = settings;
    this.#cleanups = new Cleanups(settings.clock);
    this.#polls = constant(settings.pollIntervalMs, { jitter: 0.5 });
  }

  /** Holds this client tracks for loss reports (for tests and diagnostics: it must not grow). */
  get holdCount(): number {
    return this.#holds.size;
  }

  /**
   * One acquire on core's wait loop. A try runs the acquire script; when waiting, a failed try
   * queues this waiter in the server-side FIFO, and the release that reaches it grants it the lock
   * and PUBLISHes the grant (token included) on this client's channel: the next `take` returns the
   * hold without a round trip. Tries again at the retry time the script returned (the holder's
   * TTL: expiry without release) or the poll interval at the latest; a grant whose message was
   * lost is found by that try.
   */
  attempt(key: string, { ttlMs, wait }: AcquireRequest): LockAttempt<RedisHold> {
    const { clock, queueGraceMs, pollIntervalMs } = this.#settings;
    const keys = redisLockKeys(this.#settings.prefix, key);
    // `<client channel>/<n>`: the release script wakes a waiter on its own client's channel.
    this.#sequence += 1;
    const id = `${this.#channel}/${this.#sequence.toString(36)}`;
    // Made after a first failed try only: the uncontended path costs one script call, no more.
    let waiter: Wakeable | undefined;
    let polls: BackoffSequence | undefined;
    let triedSubscribing = false;
    /** A try may have taken the lock or queued us without our seeing a plain "no": leave must clean up. */
    let unsettled = false;
    const attempts: number[] = []; // send time of try n at [n - 1]
    const held = (token: bigint, sentAt: number) => {
      waiter?.close();
      return { hold: this.#held(key, keys, id, token, sentAt, ttlMs) };
    };
    return {
      take: async () => {
        const granted = this.#granted(waiter?.grant, id, attempts);
        if (granted) return held(granted.token, granted.sentAt);
        waiter?.clear();
        const cap = polls ? Math.max(1, polls.nextDelay()) : pollIntervalMs;
        const sentAt = clock.now();
        attempts.push(sentAt);
        unsettled = true;
        const reply = await this.#instance.acquire(
          keys,
          wait ? [id, ttlMs, '1', cap, queueGraceMs, attempts.length] : [id, ttlMs, '0', 1, 0, 1],
        );
        // Held since at most `ttl − pttl` before the try ran (a grant found by this try).
        if (reply.held) return held(reply.token, sentAt - (ttlMs - reply.pttlMs));
        if (!wait) {
          unsettled = false; // a plain "no" that queued nothing: nothing to clean up
          return { retryMs: 0 };
        }
        waiter ??= this.#instance.wakeups.register(this.#channel, id, false, sentAt);
        polls ??= this.#polls.start();
        if (!waiter.isSubscribed && !triedSubscribing) {
          // Queued now; a grant before our SUBSCRIBE takes effect goes unheard, so once
          // subscribed, look again at once.
          triedSubscribing = true;
          if (await waiter.subscribe()) return { retryMs: 0 };
        }
        return { retryMs: reply.retryMs, wake: waiter.next() };
      },
      leave: async (late) => {
        waiter?.close();
        if (late) this.#holds.delete(late);
        if (!unsettled && !late) return;
        // Leave the queue and hand back a lock granted or won as we gave up (a grant, or a reply
        // lost after the script ran). Retried while a lock granted to this id could still be
        // alive: its TTL, after a grant that may come as late as our queue entry lives.
        const until = clock.now() + ttlMs + pollIntervalMs + queueGraceMs;
        this.#cleanups.run(
          () => (late || !wait ? this.#instance.release(keys, id) : this.#instance.leave(keys, id)),
          until,
        );
      },
    };
  }

  async release(hold: RedisHold): Promise<boolean> {
    this.#holds.delete(hold);
    const sentAt = this.#settings.clock.now();
    try {
      return await this.#instance.release(hold.keys, hold.id);
    } catch (error) {
      // The release may not have run: keep trying in the background (the caller still hears of
      // the failure), so the next waiter does not wait out the TTL.
      this.#cleanups.run(() => this.#instance.release(hold.keys, hold.id), sentAt + hold.ttlMs);
      throw error;
    }
  }

  async extend(requests: readonly ExtendRequest<RedisHold>[]): Promise<boolean[]> {
    const results = await this.#instance.extend(
      requests.map(({ hold, ttlMs }) => ({ keys: hold.keys, id: hold.id, ttlMs })),
    );
    // A hold the server no longer knows is lost as `taken`; nothing will release it, so forget it here.
    results.forEach((extended, i) => {
      if (!extended) this.#holds.delete(requests[i]!.hold);
    });
    return results;
  }

  onLoss(report: (hold: RedisHold, error: LockLostError) => void): void {
    this.#stopLossWatch = this.#instance.onConnectionLost(() => {
      const lost = [...this.#holds];
      this.#holds.clear();
      for (const hold of lost) report(hold, new LockLostError(hold.key, 'unreachable'));
    });
  }

  async close(): Promise<void> {
    await this.#cleanups.settle(this.#settings.closeTimeoutMs);
    this.#stopLossWatch?.();
    this.#instance.close();
  }

  #held(
    key: string,
    keys: RedisLockKeys,
    id: string,
    token: bigint,
    sentAt: number,
    ttlMs: number,
  ): RedisHold {
    const hold: RedisHold = { key, keys, id, token, sentAt, ttlMs };
    this.#holds.add(hold);
    return hold;
  }

  /**
   * Dates a grant message (`<id> <token> <attempt n> <µs since that attempt ran>`): the lock was
   * granted at least that long after attempt n was sent, and no later than now. Undefined when it
   * is not a grant for `id` (then the next attempt finds the lock in our name anyway).
   */
  #granted(
    message: string | undefined,
    id: string,
    attempts: readonly number[],
  ): { token: bigint; sentAt: number } | undefined {
    if (message === undefined) return undefined;
    const [grantee, token, attempt, elapsedUs] = message.split(' ');
    const sent = attempts[Number(attempt) - 1];
    if (grantee !== id || sent === undefined || !/^\d+$/.test(token ?? '') || !/^\d+$/.test(elapsedUs ?? ''))
      return undefined;
    const sentAt = sent + Math.min(Number(elapsedUs) / 1000, this.#settings.clock.now() - sent);
    return { token: BigInt(token as string), sentAt };
  }
}
