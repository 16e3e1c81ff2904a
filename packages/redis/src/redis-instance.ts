import { BackendUnavailableError, type Clock } from '@locksmith/core';
import type { Redis } from 'ioredis';
import type { RedisLockKeys } from './redis-keys.ts';
import { RedisWakeups } from './redis-wakeups.ts';
import { type AcquireArgs, type AcquireReply, acquireScript } from './scripts/acquire-script.ts';
import { extendScript } from './scripts/extend-script.ts';
import { leaveScript } from './scripts/leave-script.ts';
import { raiseTokenScript } from './scripts/raise-token-script.ts';
import { redlockAcquireScript } from './scripts/redlock-acquire-script.ts';
import { redlockReleaseScript } from './scripts/redlock-release-script.ts';
import { releaseScript } from './scripts/release-script.ts';

/** Locks renewed by one script call; a batch larger than this becomes several calls in one pipeline. */
export const EXTEND_CHUNK = 256;

/** One renewal, as an instance runs it. */
export interface InstanceExtend {
  readonly keys: RedisLockKeys;
  readonly id: string;
  readonly ttlMs: number;
}

/** Statuses in which ioredis would only queue a command until a reconnect that may never come. */
const DOWN = new Set(['reconnecting', 'close', 'end']);

/**
 * One Redis server as the protocols use it: the lock scripts, its wake-up channels and its
 * connection state. Never closes the user's client; only its own subscriber connection.
 */
export class RedisInstance {
  readonly wakeups: RedisWakeups;
  readonly #lossListeners = new Set<() => void>();
  readonly #onClose = () => {
    for (const listener of [...this.#lossListeners]) listener();
  };

  constructor(
    readonly client: Redis,
    readonly backend: string,
    clock: Clock,
    lingerMs: number,
  ) {
    this.wakeups = new RedisWakeups(client, clock, lingerMs);
    client.on('close', this.#onClose);
  }

  /** False while the connection is down (ioredis is reconnecting or gave up). */
  get up(): boolean {
    return !DOWN.has(this.client.status);
  }

  acquire(keys: RedisLockKeys, args: AcquireArgs): Promise<AcquireReply> {
    return acquireScript.run(this.client, [keys.lock, keys.token, keys.queue, keys.waiters], args);
  }

  /** Releases the lock if `id` holds it and grants it to the next queued waiter. */
  release(keys: RedisLockKeys, id: string): Promise<boolean> {
    return releaseScript.run(this.client, [keys.lock, keys.token, keys.queue, keys.waiters], [id, '1']);
  }

  /** Redlock: takes the lock if it is free (no queue), proposing a token (see TAKE_LUA). */
  redlockAcquire(
    keys: RedisLockKeys,
    id: string,
    ttlMs: number,
    capMs: number,
    proposed: string,
  ): Promise<AcquireReply> {
    return redlockAcquireScript.run(this.client, [keys.lock, keys.token], [id, ttlMs, capMs, proposed]);
  }

  /** Redlock: deletes the lock if `id` holds it and PUBLISHes '*' on the lock's channel. */
  redlockRelease(keys: RedisLockKeys, id: string): Promise<boolean> {
    return redlockReleaseScript.run(this.client, [keys.lock], [id]);
  }

  /** Raises the key's token counter to at least `token` (Redlock's token convergence). */
  raiseToken(keys: RedisLockKeys, token: bigint, ttlMs: number): Promise<boolean> {
    return raiseTokenScript.run(this.client, [keys.token], [token.toString(), ttlMs]);
  }

  leave(keys: RedisLockKeys, id: string): Promise<boolean> {
    return leaveScript.run(this.client, [keys.lock, keys.token, keys.queue, keys.waiters], [id]);
  }

  /**
   * Renews many locks in one round trip: one script call per {@link EXTEND_CHUNK} locks, all in one
   * pipeline. Rejects at once, without queueing, while the connection is down.
   */
  async extend(requests: readonly InstanceExtend[]): Promise<boolean[]> {
    if (!this.up) throw new BackendUnavailableError(this.backend, `not connected (${this.client.status})`);
    const calls: { keys: string[]; args: (string | number)[] }[] = [];
    for (let start = 0; start < requests.length; start += EXTEND_CHUNK) {
      const chunk = requests.slice(start, start + EXTEND_CHUNK);
      calls.push({
        keys: chunk.flatMap((r) => [r.keys.lock, r.keys.token]),
        args: chunk.flatMap((r) => [r.id, r.ttlMs]),
      });
    }
    const replies =
      calls.length === 1
        ? [await extendScript.run(this.client, calls[0]!.keys, calls[0]!.args)]
        : await extendScript.runMany(this.client, calls);
    return replies.flat();
  }

  /** Calls `listener` whenever the connection closes; returns the unsubscribe function. */
  onConnectionLost(listener: () => void): () => void {
    this.#lossListeners.add(listener);
    return () => this.#lossListeners.delete(listener);
  }

  /** Closes the subscriber connection and detaches from the user's client (which stays open). */
  close(): void {
    this.client.off('close', this.#onClose);
    this.#lossListeners.clear();
    this.wakeups.close();
  }
}
