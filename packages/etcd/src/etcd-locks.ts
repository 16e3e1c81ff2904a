import { type Clock, type ElectionClient, InvalidArgumentError } from '@locksmith/core';
import { createLockClient, validateOptionsObject } from '@locksmith/core/protocol';
import { type LeaseTimingOptions, resolveClientTiming } from '@locksmith/lease';
import type { Etcd3 } from 'etcd3';
import { DEFAULT_PREFIX, validatePrefix } from './etcd-keys.ts';
import { EtcdProtocol } from './etcd-protocol.ts';

/** Options of {@link etcdLocks}. */
export interface EtcdLocksOptions {
  /**
   * Your `Etcd3` client from the `etcd3` package (give it every member's endpoint, as an array:
   * `new Etcd3({ hosts: [a, b, c] })`). Never closed by locksmith; `close()` revokes only the
   * leases this lock client granted. A `client.namespace(...)` is not accepted: use `prefix`.
   */
  readonly client: Etcd3;
  /**
   * Prefix of every key: the queue of lock `k` lives under `<prefix>/<k, URI-encoded>/`.
   * 1–128 characters, not starting or ending with `/`.
   * @defaultValue `'locksmith'`
   */
  readonly prefix?: string;
  /**
   * Renewal and drift settings of the lease keeper (`@locksmith/lease`). A renewal is one
   * keep-alive of the session lease, whatever the number of locks held under it.
   * @defaultValue renew after 1/3 of the TTL, drift 1% of the TTL + 2 ms
   */
  readonly lease?: LeaseTimingOptions;
  /** Monotonic clock for deadlines. @defaultValue `systemClock` from `@locksmith/core` */
  readonly clock?: Clock;
}

const OPTIONS = ['client', 'prefix', 'lease', 'clock'] as const;
/** `close()` waits at most this long for queue clean-up, then as long again for lease revocation. */
const CLOSE_TIMEOUT_MS = 2_000;

function validateClient(client: unknown): Etcd3 {
  const c = client as Partial<Etcd3> | null;
  if (
    typeof c !== 'object' ||
    c === null ||
    typeof c.kv?.txn !== 'function' ||
    typeof c.leaseClient?.leaseGrant !== 'function' ||
    typeof c.watch !== 'function'
  ) {
    throw new InvalidArgumentError('options.client', 'must be an etcd3 client (new Etcd3({ hosts: [...] }))');
  }
  // A Namespace prefixes its own calls but not the raw KV/lease clients used here.
  if (typeof c.close !== 'function') {
    throw new InvalidArgumentError(
      'options.client',
      'is an etcd3 Namespace: pass the Etcd3 client itself and set options.prefix instead',
    );
  }
  return c as Etcd3;
}

/**
 * etcd locks on the locksmith contract. Each lock client keeps one etcd lease per distinct
 * `ttlMs` (a session), renewed by one keep-alive per period however many locks it holds. An
 * acquisition is one txn (enqueue under the lock's prefix, read the entry ahead), a release one
 * delete; waiters queue by create revision and each watches only its predecessor. The fencing
 * token is the entry's create revision: strictly increasing across the cluster.
 *
 * @example
 * ```ts
 * const locks = etcdLocks({ client: new Etcd3({ hosts: ['http://10.0.0.1:2379', 'http://10.0.0.2:2379'] }) });
 * await locks.withLock('invoice:42', (lease) => charge(42, { fence: lease.token }));
 * ```
 * @throws InvalidArgumentError on a bad option (before any I/O): a missing or wrong client, an
 *   etcd3 Namespace, a bad prefix, clock or lease timing, an unknown option.
 */
export function etcdLocks(options: EtcdLocksOptions): ElectionClient {
  if (options === undefined) throw new InvalidArgumentError('options', 'is required: pass { client }');
  const o = validateOptionsObject<EtcdLocksOptions>('options', options, [...OPTIONS]);
  const client = validateClient(o.client);
  const { clock, keeper } = resolveClientTiming(o);
  const prefix = o.prefix === undefined ? DEFAULT_PREFIX : validatePrefix(o.prefix);
  const protocol = new EtcdProtocol(client, { prefix, clock, closeTimeoutMs: CLOSE_TIMEOUT_MS });
  return createLockClient(protocol, { keeper, clock });
}
