import { type Clock, systemClock } from './clock.ts';
import { ElectingLockClient } from './electing-lock-client.ts';
import type { LeaseKeeperFactory } from './keeper.ts';
import type { ElectionProtocol, Hold, LockProtocol } from './protocol.ts';
import { ProtocolLockClient } from './protocol-lock-client.ts';
import type { ElectionClient, LockClient } from './types.ts';

/** Options of {@link createLockClient}. */
export interface CreateLockClientOptions {
  /** Builds the client's lease keeper, e.g. `leaseKeeper()` from `@locksmith/lease`. */
  readonly keeper: LeaseKeeperFactory;
  /** Monotonic clock for deadlines. @defaultValue `systemClock` */
  readonly clock?: Clock;
}

/**
 * Builds a {@link LockClient} on a backend's {@link LockProtocol}: validation, `waitMs` timeouts,
 * abort, leases and their renewal, `withLock` and `close()` all live here, once.
 */
export function createLockClient<H extends Hold>(
  protocol: LockProtocol<H> & { readonly election: ElectionProtocol<H> },
  options: CreateLockClientOptions,
): ElectionClient;
export function createLockClient<H extends Hold>(
  protocol: LockProtocol<H>,
  options: CreateLockClientOptions,
): LockClient;
export function createLockClient<H extends Hold>(
  protocol: LockProtocol<H>,
  options: CreateLockClientOptions,
): LockClient {
  const clock = options.clock ?? systemClock;
  return protocol.election === undefined
    ? new ProtocolLockClient(protocol, options.keeper, clock)
    : new ElectingLockClient(protocol, protocol.election, options.keeper, clock);
}
