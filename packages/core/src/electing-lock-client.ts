import type { Clock } from './clock.ts';
import { BackendUnavailableError } from './errors.ts';
import type { LeaseKeeperFactory } from './keeper.ts';
import type { LeaseHandle } from './lease-handle.ts';
import type { ElectionProtocol, Hold, LockProtocol } from './protocol.ts';
import { ProtocolLockClient } from './protocol-lock-client.ts';
import type { ElectionClient, ElectOptions, LeaderInfo, Leadership, ObserveOptions } from './types.ts';
import { validateElectOptions, validateKey, validateObserveOptions } from './validate.ts';

/**
 * A LockClient whose protocol runs elections. A candidacy goes through the same path as an
 * acquire (wait loop, stale-hold retries, abort, close), and the leadership is a kept lease:
 * renewed by the keeper, lost through its signal, released by `resign()`.
 */
export class ElectingLockClient<H extends Hold> extends ProtocolLockClient<H> implements ElectionClient {
  readonly #election: ElectionProtocol<H>;

  constructor(
    protocol: LockProtocol<H>,
    election: ElectionProtocol<H>,
    keeper: LeaseKeeperFactory,
    clock: Clock,
  ) {
    super(protocol, keeper, clock);
    this.#election = election;
  }

  async elect(name: string, options?: ElectOptions): Promise<Leadership> {
    validateKey(name, 'name');
    const { value, ttlMs, signal } = validateElectOptions(options);
    const lease = await this.take(
      name,
      { ttlMs, autoRenew: true, waitMs: Number.POSITIVE_INFINITY, signal },
      true,
      (request) => this.#election.campaign(name, value, request),
    );
    return new LeadershipHandle(name, value, lease as LeaseHandle<H>);
  }

  observe(name: string, options?: ObserveOptions): AsyncIterable<LeaderInfo> {
    validateKey(name, 'name');
    const { signal } = validateObserveOptions(options);
    if (this.closed.signal.aborted) throw new BackendUnavailableError(this.backend, 'the client is closed');
    const stop = signal === undefined ? this.closed.signal : AbortSignal.any([signal, this.closed.signal]);
    return this.#election.observe(name, stop);
  }
}

/** The {@link Leadership} handed to users: a view of the lease that holds the election. */
class LeadershipHandle<H extends Hold> implements Leadership {
  constructor(
    readonly name: string,
    readonly value: string,
    readonly lease: LeaseHandle<H>,
  ) {}

  get term(): bigint {
    return this.lease.token;
  }

  get signal(): AbortSignal {
    return this.lease.signal;
  }

  get isLeader(): boolean {
    return this.lease.held;
  }

  resign(): Promise<void> {
    return this.lease.release();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.resign();
  }
}
