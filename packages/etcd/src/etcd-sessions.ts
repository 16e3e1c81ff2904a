import type { Clock } from '@locksmith/core';
import type { Etcd3 } from 'etcd3';
import { EtcdSession } from './etcd-session.ts';

/**
 * The sessions of one lock client: one etcd lease per distinct `ttlMs`. Locks with one TTL share
 * a lease, so their renewals are one keep-alive; a lock's key then lives on the server at least as
 * long as its local deadline (the lease TTL is `ttlMs` rounded up to whole seconds).
 */
export class EtcdSessions {
  readonly #byTtl = new Map<number, Promise<EtcdSession>>();

  constructor(
    private readonly client: Etcd3,
    private readonly clock: Clock,
  ) {}

  /**
   * The live session for `ttlMs`, granting a new lease when there is none or the current one may
   * end within a tenth of its TTL (etcd would refuse a put under an expired lease).
   */
  async get(ttlMs: number): Promise<EtcdSession> {
    const current = this.#byTtl.get(ttlMs);
    if (current !== undefined) {
      const session = await current.catch(() => undefined);
      if (session?.alive(session.grantedMs / 10)) return session;
      if (this.#byTtl.get(ttlMs) !== current) return this.get(ttlMs); // replaced meanwhile
    }
    const granting = EtcdSession.grant(this.client, this.clock, ttlMs);
    this.#byTtl.set(ttlMs, granting);
    granting.catch(() => {
      if (this.#byTtl.get(ttlMs) === granting) this.#byTtl.delete(ttlMs);
    });
    return granting;
  }

  /** Every session granted and not yet dropped. */
  async all(): Promise<EtcdSession[]> {
    const settled = await Promise.allSettled(this.#byTtl.values());
    return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  }

  /** Revokes every lease (their keys go with them) and forgets the sessions. */
  async revokeAll(): Promise<void> {
    const sessions = await this.all();
    this.#byTtl.clear();
    await Promise.allSettled(sessions.filter((s) => !s.lost).map((s) => s.revoke()));
  }
}
