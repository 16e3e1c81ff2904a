import { type Clock, type ElectionClient, InvalidArgumentError } from '@locksmith/core';
import { createLockClient, validateInteger, validateOptionsObject } from '@locksmith/core/protocol';
import { type LeaseTimingOptions, resolveClientTiming } from '@locksmith/lease';
import type Consul from 'consul';
import type { ConsulClient } from './consul-client.ts';
import { DEFAULT_PREFIX, validatePrefix } from './consul-keys.ts';
import { ConsulProtocol } from './consul-protocol.ts';
import { MAX_LOCK_DELAY_MS } from './consul-session.ts';

/** Options of {@link consulLocks}. */
export interface ConsulLocksOptions {
  /**
   * Your client from the `consul` package (`new Consul({ host, port })`), pointed at a Consul
   * agent or server of the cluster. Never closed by locksmith; `close()` destroys only the
   * sessions this lock client created.
   */
  readonly client: Consul;
  /**
   * Prefix of every key: lock `k` is the KV key `<prefix>/<k, URI-encoded>`. 1–128 characters,
   * not starting or ending with `/`.
   * @defaultValue `'locksmith'`
   */
  readonly prefix?: string;
  /**
   * Consul's lock-delay of this client's sessions, in ms (0–60000): after Consul invalidates a
   * session that held a key (an operator's `session/destroy`, a failed node health check, a TTL
   * that lapsed), nobody can lock that key for this long. The default, the session's TTL, keeps
   * the locksmith contract even then: the old holder, which learns of the loss only at its next
   * renewal, has seen its lease end (its deadline passed) before anyone else can hold the key.
   * 0 lets the next holder in at once; the old holder may then still be working for up to one
   * TTL, which is safe only when every write carries the fencing token (`lease.token`) and the
   * resource rejects older tokens. A release (not an invalidation) never delays anyone.
   * @defaultValue the session TTL (`ttlMs` rounded up to whole seconds, at least the server's
   *   `session_ttl_min`), at most 60 s
   */
  readonly lockDelayMs?: number;
  /**
   * Renewal and drift settings of the lease keeper (`@locksmith/lease`). A renewal is one
   * `session/renew` of each session, whatever the number of locks held under it.
   * @defaultValue renew after 1/3 of the TTL, drift 1% of the TTL + 2 ms
   */
  readonly lease?: LeaseTimingOptions;
  /** Monotonic clock for deadlines. @defaultValue `systemClock` from `@locksmith/core` */
  readonly clock?: Clock;
}

const OPTIONS = ['client', 'prefix', 'lockDelayMs', 'lease', 'clock'] as const;
/** `close()` waits at most this long for clean-ups, then as long again for destroying sessions. */
const CLOSE_TIMEOUT_MS = 2_000;

function validateClient(client: unknown): ConsulClient {
  const c = client as Partial<Record<'session' | 'kv' | 'transaction', Record<string, unknown>>> | null;
  if (
    typeof c !== 'object' ||
    c === null ||
    typeof c.session?.create !== 'function' ||
    typeof c.session?.renew !== 'function' ||
    typeof c.kv?.get !== 'function' ||
    typeof c.transaction?.create !== 'function'
  ) {
    throw new InvalidArgumentError(
      'options.client',
      'must be a client of the consul package (new Consul({ host, port }))',
    );
  }
  return c as unknown as ConsulClient;
}

/**
 * Consul locks on the locksmith contract. Each lock client keeps one Consul session per distinct
 * lease TTL in whole seconds (one, for a client that uses one `ttlMs`), renewed by one
 * `session/renew` per period however many locks it holds. An acquisition is one transaction
 * (lock the key for the session, read back its `ModifyIndex`: the fencing token, strictly
 * increasing); a release one transaction (delete the key while the session holds it). Waiters
 * block on the key with Consul's blocking queries; there is no queue, so no FIFO order.
 *
 * @example
 * ```ts
 * const locks = consulLocks({ client: new Consul({ host: '10.0.0.1', port: 8500 }) });
 * await locks.withLock('invoice:42', (lease) => charge(42, { fence: lease.token }));
 * ```
 * @throws InvalidArgumentError on a bad option (before any I/O): a missing or wrong client, a bad
 *   prefix, lock-delay, clock or lease timing, an unknown option.
 */
export function consulLocks(options: ConsulLocksOptions): ElectionClient {
  if (options === undefined) throw new InvalidArgumentError('options', 'is required: pass { client }');
  const o = validateOptionsObject<ConsulLocksOptions>('options', options, [...OPTIONS]);
  const client = validateClient(o.client);
  const { clock, keeper } = resolveClientTiming(o);
  const prefix = o.prefix === undefined ? DEFAULT_PREFIX : validatePrefix(o.prefix);
  const lockDelayMs =
    o.lockDelayMs === undefined
      ? undefined
      : validateInteger('options.lockDelayMs', o.lockDelayMs, { min: 0, max: MAX_LOCK_DELAY_MS });
  const protocol = new ConsulProtocol(client, {
    prefix,
    clock,
    lockDelayMs,
    closeTimeoutMs: CLOSE_TIMEOUT_MS,
  });
  return createLockClient(protocol, { keeper, clock });
}
