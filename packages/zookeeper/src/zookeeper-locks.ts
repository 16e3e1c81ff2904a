import { type Clock, type ElectionClient, InvalidArgumentError } from '@locksmith/core';
import { createLockClient, validateOptionsObject } from '@locksmith/core/protocol';
import { type LeaseTimingOptions, resolveClientTiming } from '@locksmith/lease';
import type { ZooKeeperClient } from './zookeeper-client.ts';
import { DEFAULT_PREFIX, validatePrefix } from './zookeeper-keys.ts';
import { ZooKeeperProtocol } from './zookeeper-protocol.ts';
import { ZooKeeperSession } from './zookeeper-session.ts';

/** Options of {@link zookeeperLocks}. */
export interface ZooKeeperLocksOptions {
  /**
   * Your client from the `zookeeper` package (`new ZooKeeper({ connect, timeout })`, then
   * `init({})`), connected or connecting. Its session holds every lock's node: its negotiated
   * session timeout is the longest `ttlMs` an acquire may ask for. Never closed by locksmith.
   */
  readonly client: ZooKeeperClient;
  /**
   * Absolute znode path under which every lock lives: lock `k` is the container node
   * `<prefix>/<k, URI-encoded, "." as %2E>`. Made as container nodes on demand.
   * @defaultValue `'/locksmith'`
   */
  readonly prefix?: string;
  /**
   * Renewal and drift settings of the lease keeper (`@locksmith/lease`). A renewal is one round
   * trip of pipelined reads, whatever the number of locks held.
   * @defaultValue renew after 1/3 of the TTL, drift 1% of the TTL + 2 ms
   */
  readonly lease?: LeaseTimingOptions;
  /** Monotonic clock for deadlines. @defaultValue `systemClock` from `@locksmith/core` */
  readonly clock?: Clock;
}

const OPTIONS = ['client', 'prefix', 'lease', 'clock'] as const;
/** `close()` waits at most this long for queue clean-up. */
const CLOSE_TIMEOUT_MS = 2_000;
const METHODS = [
  'a_create',
  'a_exists',
  'aw_get',
  'a_get_children',
  'a_delete_',
  'a_sync',
  'on',
  'removeListener',
];

function validateClient(client: unknown): ZooKeeperClient {
  const c = client as Record<string, unknown> | null;
  if (typeof c !== 'object' || c === null || METHODS.some((m) => typeof c[m] !== 'function')) {
    throw new InvalidArgumentError(
      'options.client',
      'must be a client of the `zookeeper` package (new ZooKeeper({ connect, timeout }), then init({}))',
    );
  }
  return c as unknown as ZooKeeperClient;
}

/**
 * ZooKeeper locks on the locksmith contract: the lock recipe of ZooKeeper's documentation (one
 * EPHEMERAL_SEQUENTIAL node per acquisition under a container node per lock; the lowest holds it,
 * each waiter watches only its predecessor), with protected creates, a czxid fencing token and
 * the session's state turned into lease loss.
 *
 * @example
 * ```ts
 * const client = new ZooKeeper({ connect: 'zk1:2181,zk2:2181,zk3:2181', timeout: 30_000 });
 * client.init({});
 * const locks = zookeeperLocks({ client });
 * await locks.withLock('invoice:42', (lease) => charge(42, { fence: lease.token }), { ttlMs: 20_000 });
 * ```
 * @throws InvalidArgumentError on a bad option (before any I/O): a missing or wrong client, a bad
 *   prefix, clock or lease timing, an unknown option. An acquire whose `ttlMs` exceeds the
 *   negotiated session timeout rejects with InvalidArgumentError naming `options.ttlMs`.
 */
export function zookeeperLocks(options: ZooKeeperLocksOptions): ElectionClient {
  if (options === undefined) throw new InvalidArgumentError('options', 'is required: pass { client }');
  const o = validateOptionsObject<ZooKeeperLocksOptions>('options', options, [...OPTIONS]);
  const client = validateClient(o.client);
  const { clock, keeper } = resolveClientTiming(o);
  const prefix = o.prefix === undefined ? DEFAULT_PREFIX : validatePrefix(o.prefix);
  const protocol = new ZooKeeperProtocol(new ZooKeeperSession(client), {
    prefix,
    clock,
    closeTimeoutMs: CLOSE_TIMEOUT_MS,
  });
  return createLockClient(protocol, { keeper, clock });
}
