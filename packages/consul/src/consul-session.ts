import type { Clock } from '@locksmith/core';
import { type ConsulClient, MAX_RPC_MS, messageOf, statusOf, unavailable } from './consul-client.ts';
import type { ConsulHold } from './consul-hold.ts';

/** What a session is created with. */
export interface SessionSpec {
  /** Session name (`locksmith-<client id>`), so an operator can see whose it is. */
  readonly name: string;
  /** Lock-delay in ms, or `undefined` for the session's TTL. */
  readonly lockDelayMs: number | undefined;
}

/**
 * One Consul session (TTL-based, `Behavior: delete`): the keys of the locks taken under it are
 * held while it lives, and deleted by Consul when it is invalidated (TTL lapsed, node check
 * failed, destroyed). Kept alive only by the lease keeper's renewals of its holds and by new
 * acquisitions, so a dead process stops renewing it and the server ends it.
 */
export class ConsulSession {
  /** Holds taken under this session; all of them are lost with it. */
  readonly holds = new Set<ConsulHold>();
  /** Set once Consul said the session is gone. */
  lost = false;
  #refresh: Promise<boolean> | undefined;

  private constructor(
    private readonly client: ConsulClient,
    private readonly clock: Clock,
    readonly id: string,
    /** The session TTL in ms (whole seconds, at least the server's `session_ttl_min`). */
    readonly grantedMs: number,
    /**
     * Monotonic time at which the create or the last successful renew was *sent*: Consul keeps
     * the session at least until `confirmedAt + grantedMs` (it waits up to twice the TTL).
     */
    public confirmedAt: number,
  ) {}

  /** Creates a session of `seconds` (raised to the server's minimum TTL when it refuses less). */
  static async create(
    client: ConsulClient,
    clock: Clock,
    seconds: number,
    spec: SessionSpec,
  ): Promise<ConsulSession> {
    const sentAt = clock.now();
    const lockDelayMs = Math.min(spec.lockDelayMs ?? seconds * 1000, MAX_LOCK_DELAY_MS);
    try {
      const reply = await client.session.create({
        name: spec.name,
        ttl: `${seconds}s`,
        lockdelay: `${lockDelayMs}ms`,
        behavior: 'delete',
        timeout: MAX_RPC_MS,
      });
      return new ConsulSession(client, clock, reply.ID, seconds * 1000, sentAt);
    } catch (error) {
      // Consul 1.14 answers a TTL under its session_ttl_min with a 500 naming the range.
      const floor = statusOf(error) === undefined ? undefined : minimumTtlSeconds(messageOf(error));
      if (floor !== undefined && floor > seconds) return ConsulSession.create(client, clock, floor, spec);
      throw unavailable('session create', error);
    }
  }

  /** True while the session is known to live for at least `marginMs` more. */
  alive(marginMs: number): boolean {
    return !this.lost && this.clock.now() + marginMs < this.confirmedAt + this.grantedMs;
  }

  /**
   * Sends one renew now. Resolves `true` (and moves `confirmedAt` to this send time) when the
   * session lives, `false` when Consul says it is gone. A renewal must not join a renew already in
   * flight: that one was sent earlier, and a renewed deadline must be dated no later than its send.
   * @throws BackendUnavailableError when Consul could not be reached in time.
   */
  async renew(): Promise<boolean> {
    if (this.lost) return false;
    const sentAt = this.clock.now();
    try {
      await this.client.session.renew({ id: this.id, timeout: MAX_RPC_MS });
    } catch (error) {
      if (statusOf(error) !== 404) throw unavailable('session renew', error);
      this.lost = true;
      return false;
    }
    this.confirmedAt = Math.max(this.confirmedAt, sentAt);
    return true;
  }

  /** A renew for liveness only (new acquisitions): joins one in flight. */
  refresh(): Promise<boolean> {
    this.#refresh ??= this.renew().finally(() => {
      this.#refresh = undefined;
    });
    return this.#refresh;
  }

  /** Destroys the session: Consul deletes every key still held under it. */
  async destroy(): Promise<void> {
    this.lost = true;
    await this.client.session.destroy({ id: this.id, timeout: MAX_RPC_MS });
  }
}

/** Consul's upper bound on a session's lock-delay. */
export const MAX_LOCK_DELAY_MS = 60_000;

/** The session TTL, in whole seconds, that covers `ttlMs`. */
export function sessionSeconds(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs / 1000));
}

/**
 * The server's minimum session TTL in whole seconds, read from Consul's refusal
 * ("Invalid Session TTL '1s', must be between [10s=24h0m0s]"), or `undefined`.
 */
export function minimumTtlSeconds(message: string): number | undefined {
  const match = /between \[(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(message);
  if (match === null) return undefined;
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Math.max(1, Math.ceil(Number(match[1]) * unit));
}
