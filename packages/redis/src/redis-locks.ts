import { type Clock, InvalidArgumentError, type LockClient } from '@locksmith/core';
import {
  createLockClient,
  MAX_TIMER_MS,
  validateInteger,
  validateOptionsObject,
} from '@locksmith/core/protocol';
import { type LeaseTimingOptions, resolveClientTiming } from '@locksmith/lease';
import type { Redis } from 'ioredis';
import { RedisInstance } from './redis-instance.ts';
import { DEFAULT_PREFIX, validatePrefix } from './redis-keys.ts';
import { type ProtocolSettings, RedisProtocol } from './redis-protocol.ts';
import { RedlockProtocol } from './redlock/redlock-protocol.ts';

/** Options of {@link redisLocks}. Give exactly one of `client` (one server) or `clients` (Redlock). */
export interface RedisLocksOptions {
  /**
   * One ioredis client: the single-instance lock (strict fencing tokens, FIFO waiters). It is
   * never closed by locksmith; `close()` only closes the subscriber connection it duplicated.
   */
  readonly client?: Redis;
  /**
   * Three or more clients of independent Redis servers (not replicas of one another): Redlock.
   * A lock needs a majority of them; tokens are best-effort and waiters are not queued.
   */
  readonly clients?: readonly Redis[];
  /**
   * Prefix of every key: a lock on `k` uses `{<prefix>:k}` and three keys derived from it, all in
   * one Redis Cluster slot. 1–64 characters, no braces.
   * @defaultValue `'locksmith'`
   */
  readonly prefix?: string;
  /**
   * Longest time a waiter sleeps between attempts when no wake-up arrives: the safety net behind
   * the push wake-up and the expiry timer (each sleep is jittered down to half of it). Lower costs
   * one script call per waiter per interval; higher only matters when a wake-up is lost.
   * @defaultValue 1_000
   */
  readonly pollIntervalMs?: number;
  /**
   * Renewal and drift settings of the lease keeper (`@locksmith/lease`); Redlock also uses the
   * drift margin for its validity time.
   * @defaultValue renew after 1/3 of the TTL, drift 1% of the TTL + 2 ms
   */
  readonly lease?: LeaseTimingOptions;
  /** Monotonic clock for deadlines. @defaultValue `systemClock` from `@locksmith/core` */
  readonly clock?: Clock;
}

const OPTIONS = ['client', 'clients', 'prefix', 'pollIntervalMs', 'lease', 'clock'] as const;

/** Subscriptions stay this long after the last waiter of a key left. */
const LINGER_MS = 10_000;
/** A queued waiter keeps its place this long past the retry time it was given. */
const QUEUE_GRACE_MS = 1_000;
/** `close()` waits at most this long for aborted waiters to leave their queues. */
const CLOSE_TIMEOUT_MS = 2_000;

function validateClient(argument: string, client: unknown): Redis {
  const c = client as Partial<Redis> | null;
  if (
    typeof c !== 'object' ||
    c === null ||
    typeof c.evalsha !== 'function' ||
    typeof c.pipeline !== 'function' ||
    typeof c.duplicate !== 'function'
  ) {
    throw new InvalidArgumentError(argument, 'must be an ioredis client (new Redis(...))');
  }
  if ((c as { isCluster?: boolean }).isCluster === true) {
    throw new InvalidArgumentError(
      argument,
      'is an ioredis Cluster: not supported yet (renewals batch keys of different slots into one script call, and no test against a real cluster exists)',
    );
  }
  return c as Redis;
}

function address(client: Redis): string | undefined {
  const o = client.options as { host?: string; port?: number; path?: string; db?: number } | undefined;
  if (!o) return undefined;
  return o.path ?? `${o.host ?? 'localhost'}:${o.port ?? 6379}`;
}

function validateClients(clients: unknown): Redis[] {
  if (!Array.isArray(clients))
    throw new InvalidArgumentError('options.clients', 'must be an array of ioredis clients');
  if (clients.length < 3) {
    throw new InvalidArgumentError(
      'options.clients',
      `needs at least 3 independent servers (got ${clients.length}): with 2, a majority is both, so one failure blocks every lock; use options.client for one server`,
    );
  }
  const list = clients.map((c, i) => validateClient(`options.clients[${i}]`, c));
  const seen = new Map<unknown, number>();
  list.forEach((client, i) => {
    for (const id of [client, address(client)]) {
      if (id === undefined) continue;
      const first = seen.get(id);
      if (first !== undefined) {
        throw new InvalidArgumentError(
          `options.clients[${i}]`,
          `is the same server as options.clients[${first}]: Redlock needs independent servers, or one server would count as two votes`,
        );
      }
      seen.set(id, i);
    }
  });
  return list;
}

/**
 * Redis locks on the locksmith contract.
 *
 * - `redisLocks({ client })`: one Redis server. Acquire, release and extend are one script call
 *   each; fencing tokens are strict; waiters queue in FIFO order on the server and the release
 *   wakes the next one by PUBLISH; all due renewals go out in one round trip.
 * - `redisLocks({ clients: [a, b, c, d, e] })`: Redlock over independent servers. A lock needs a
 *   majority within its validity time; tokens are best-effort; waiters are woken by any
 *   instance's release and retry with jittered backoff (no queue).
 *
 * @example
 * ```ts
 * const locks = redisLocks({ client: new Redis('redis://127.0.0.1:6379') });
 * await locks.withLock('invoice:42', (lease) => charge(42, { fence: lease.token }));
 * ```
 * @throws InvalidArgumentError on a bad option (before any I/O): neither or both of `client` and
 *   `clients`, a value that is not an ioredis client, an ioredis Cluster, fewer than 3 or
 *   duplicate Redlock servers, a bad prefix, interval or lease timing.
 */
export function redisLocks(options: RedisLocksOptions): LockClient {
  if (options === undefined)
    throw new InvalidArgumentError('options', 'is required: pass { client } or { clients }');
  const o = validateOptionsObject<RedisLocksOptions>('options', options, [...OPTIONS]);
  if ((o.client === undefined) === (o.clients === undefined)) {
    throw new InvalidArgumentError(
      'options',
      'needs exactly one of client (one server) or clients (Redlock)',
    );
  }
  const { clock, timing, keeper } = resolveClientTiming(o);
  const settings: ProtocolSettings = {
    prefix: o.prefix === undefined ? DEFAULT_PREFIX : validatePrefix(o.prefix),
    clock,
    pollIntervalMs:
      o.pollIntervalMs === undefined
        ? 1_000
        : validateInteger('options.pollIntervalMs', o.pollIntervalMs, { min: 1, max: MAX_TIMER_MS }),
    queueGraceMs: QUEUE_GRACE_MS,
    closeTimeoutMs: CLOSE_TIMEOUT_MS,
  };
  if (o.client !== undefined) {
    const instance = new RedisInstance(validateClient('options.client', o.client), 'redis', clock, LINGER_MS);
    return createLockClient(new RedisProtocol(instance, settings), { keeper, clock });
  }
  const instances = validateClients(o.clients).map(
    (client) => new RedisInstance(client, 'redlock', clock, LINGER_MS),
  );
  const protocol = new RedlockProtocol(instances, {
    ...settings,
    driftFactor: timing.driftFactor,
    driftMs: timing.driftMs,
  });
  return createLockClient(protocol, { keeper, clock });
}
