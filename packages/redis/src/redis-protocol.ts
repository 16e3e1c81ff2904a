import { randomUUID } from 'node:crypto';
import { type BackoffSequence, type BackoffStrategy, constant } from '@locksmith/backoff';
import {
  type AcquireRequest,
  type Capabilities,
  type Clock,
  type ExtendRequest,
  type Hold,
  LockLostError,
  type LockProtocol,
  raceAbort,
} from '@locksmith/core';
import { Cleanups } from './cleanups.ts';
import type { RedisInstance } from './redis-instance.ts';
import { type RedisLockKeys, redisLockKeys } from './redis-keys.ts';
import type { Wakeable } from './redis-wakeups.ts';
import type { AcquireReply } from './scripts/acquire-script.ts';

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

/** A new holder id: 122 random bits. */
export function newHolderId(): string {
  return randomUUID();
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
  /** This client's wake-up channel: a random id (122 bits), also the prefix of its holder ids. */
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

  async acquire(key: string, { ttlMs, wait, signal }: AcquireRequest): Promise<RedisHold | undefined> {
    const keys = redisLockKeys(this.#settings.prefix, key);
    // `<client channel>/<n>`: the release script wakes a waiter on its own client's channel.
    this.#sequence += 1;
    const id = `${this.#channel}/${this.#sequence.toString(36)}`;
    if (!wait) {
      const sentAt = this.#settings.clock.now();
      let reply: AcquireReply;
      try {
        reply = await this.#instance.acquire(keys, [id, ttlMs, '0', 1, 0, 1]);
      } catch (error) {
        // The script may have run and taken the lock (a timeout, a dropped connection): free it,
        // keyed by this attempt's id, rather than leave it to its TTL.
        this.#cleanups.run(() => this.#instance.release(keys, id, 'queued'), sentAt + ttlMs);
        throw error;
      }
      return reply.held
        ? this.#held(key, keys, id, reply.token, sentAt - (ttlMs - reply.pttlMs), ttlMs)
        : undefined;
    }
    return this.#wait(key, keys, id, ttlMs, signal);
  }

  async release(hold: RedisHold): Promise<boolean> {
    this.#holds.delete(hold);
    const sentAt = this.#settings.clock.now();
    try {
      return await this.#instance.release(hold.keys, hold.id, 'queued');
    } catch (error) {
      // The release may not have run: keep trying in the background (the caller still hears of
      // the failure), so the next waiter does not wait out the TTL.
      this.#cleanups.run(() => this.#instance.release(hold.keys, hold.id, 'queued'), sentAt + hold.ttlMs);
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

  /**
   * Tries, queues on failure, then waits for the release that grants this waiter the lock (the
   * grant message already carries the token: no further round trip). Tries again when the retry
   * time the script returned has passed (the holder's TTL: expiry without release) or at the poll
   * interval at the latest; a grant whose message was lost is found by that attempt.
   */
  async #wait(
    key: string,
    keys: RedisLockKeys,
    id: string,
    ttlMs: number,
    signal: AbortSignal,
  ): Promise<RedisHold> {
    const { clock, queueGraceMs, pollIntervalMs } = this.#settings;
    // Made after a first failed attempt only: the uncontended path costs one script call, no more.
    let waiter: Wakeable | undefined;
    let polls: BackoffSequence | undefined;
    let inFlight: Promise<AcquireReply> | undefined;
    let triedSubscribing = false;
    const attempts: number[] = []; // send time of attempt n at [n - 1]
    try {
      for (;;) {
        signal.throwIfAborted();
        const granted = this.#granted(waiter?.grant, id, attempts);
        if (granted) return this.#held(key, keys, id, granted.token, granted.sentAt, ttlMs);
        waiter?.clear();
        const cap = polls ? Math.max(1, polls.nextDelay()) : pollIntervalMs;
        const sentAt = clock.now();
        attempts.push(sentAt);
        inFlight = this.#instance.acquire(keys, [id, ttlMs, '1', cap, queueGraceMs, attempts.length]);
        const reply = await raceAbort(inFlight, signal);
        inFlight = undefined;
        // Held since at most `ttl − pttl` before the attempt ran (a grant found by this attempt).
        if (reply.held) return this.#held(key, keys, id, reply.token, sentAt - (ttlMs - reply.pttlMs), ttlMs);
        waiter ??= this.#instance.wakeups.register(this.#channel, id, false, sentAt);
        polls ??= this.#polls.start();
        if (!waiter.isSubscribed && !triedSubscribing) {
          // Queued now; a grant before our SUBSCRIBE takes effect goes unheard, so once
          // subscribed, look again at once.
          triedSubscribing = true;
          if (await raceAbort(waiter.subscribe(), signal)) continue;
        }
        await waiter.wait(reply.retryMs, signal);
      }
    } catch (error) {
      const pending = inFlight;
      // Leave the queue and hand back a lock granted or won as we gave up, in the background so an
      // abort rejects at once; close() waits for it.
      // Retried while a lock granted to this id could still be alive: its TTL, after a grant that
      // may come as late as our queue entry lives.
      const until = clock.now() + ttlMs + pollIntervalMs + queueGraceMs;
      let reply: AcquireReply | undefined;
      this.#cleanups.run(async () => {
        reply ??= pending ? await pending.catch(() => undefined) : undefined;
        if (reply?.held) await this.#instance.release(keys, id, 'queued');
        else await this.#instance.leave(keys, id);
      }, until);
      throw error;
    } finally {
      waiter?.close();
    }
  }
}
