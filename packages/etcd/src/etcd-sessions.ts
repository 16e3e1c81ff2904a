import type { Clock } from '@locksmith/core';
import type { Etcd3 } from 'etcd3';
import { EtcdSession, leaseSeconds } from './etcd-session.ts';

/**
 * The sessions of one lock client: one etcd lease per lease TTL in whole seconds
 * (`ceil(ttlMs / 1000)`). Locks of one TTL share a lease, so their renewals are one keep-alive;
 * a lock's key lives on the server at least as long as its local deadline (lease TTL ≥ `ttlMs`).
 * Keyed by seconds rather than by `ttlMs`, so callers with many distinct TTLs make few leases.
 */
export class EtcdSessions {
  readonly #bySeconds = new Map<number, Promise<EtcdSession>>();

  constructor(
    private readonly client: Etcd3,
    private readonly clock: Clock,
  ) {}

  /**
   * The live session for `ttlMs`, granting a new lease when there is none or the current one may
   * end within a tenth of its TTL (etcd would refuse a put under an expired lease).
   */
  async get(ttlMs: number): Promise<EtcdSession> {
    const seconds = leaseSeconds(ttlMs);
    const current = this.#bySeconds.get(seconds);
    if (current !== undefined) {
      const session = await current.catch(() => undefined);
      if (session?.alive(session.grantedMs / 10)) return session;
      if (this.#bySeconds.get(seconds) !== current) return this.get(ttlMs); // replaced meanwhile
    }
    const granting = EtcdSession.grant(this.client, this.clock, seconds);
    this.#bySeconds.set(seconds, granting);
    granting.catch(() => {
      if (this.#bySeconds.get(seconds) === granting) this.#bySeconds.delete(seconds);
    });
    return granting;
  }

  /** Every session granted and not yet dropped. */
  async all(): Promise<EtcdSession[]> {
    const settled = await Promise.allSettled(this.#bySeconds.values());
    return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  }

  /** Revokes every lease (their keys go with them) and forgets the sessions. */
  async revokeAll(): Promise<void> {
    const sessions = await this.all();
    this.#bySeconds.clear();
    await Promise.allSettled(sessions.filter((s) => !s.lost).map((s) => s.revoke()));
  }
}
