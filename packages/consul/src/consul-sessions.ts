import type { Clock } from '@locksmith/core';
import type { ConsulClient } from './consul-client.ts';
import { ConsulSession, type SessionSpec, sessionSeconds } from './consul-session.ts';

/**
 * The sessions of one lock client: one Consul session per lease TTL in whole seconds (a client
 * that uses one `ttlMs` has exactly one). Locks of one TTL share it, so their renewals are one
 * `session/renew`; a lock's key lives on the server at least as long as its local deadline
 * (session TTL ≥ `ttlMs`), and a crashed holder's keys go within about twice that TTL.
 */
export class ConsulSessions {
  readonly #bySeconds = new Map<number, Promise<ConsulSession>>();
  /** Every session created and not known to be gone, for `close()`. */
  readonly #created = new Set<ConsulSession>();

  constructor(
    private readonly client: ConsulClient,
    private readonly clock: Clock,
    private readonly spec: SessionSpec,
  ) {}

  /**
   * A live session for `ttlMs`: the current one while it has half its TTL left, else renewed
   * first, else (Consul ended it) a new one.
   */
  async get(ttlMs: number): Promise<ConsulSession> {
    const seconds = sessionSeconds(ttlMs);
    const current = this.#bySeconds.get(seconds);
    if (current !== undefined) {
      const session = await current.catch(() => undefined);
      if (session?.alive(session.grantedMs / 2)) return session;
      if (session !== undefined && !session.lost && (await session.refresh()) && session.alive(0))
        return session;
      if (session !== undefined) this.#created.delete(session);
      if (this.#bySeconds.get(seconds) !== current) return this.get(ttlMs); // replaced meanwhile
    }
    const creating = ConsulSession.create(this.client, this.clock, seconds, this.spec);
    this.#bySeconds.set(seconds, creating);
    creating.then(
      (session) => this.#created.add(session),
      () => {
        if (this.#bySeconds.get(seconds) === creating) this.#bySeconds.delete(seconds);
      },
    );
    return creating;
  }

  /** Forgets a session Consul ended, so the next `get` creates another. */
  drop(session: ConsulSession): void {
    this.#created.delete(session);
  }

  /** Destroys every session this client created (their keys go with them) and forgets them all. */
  async destroyAll(): Promise<void> {
    await Promise.allSettled(this.#bySeconds.values());
    this.#bySeconds.clear();
    const sessions = [...this.#created];
    this.#created.clear();
    await Promise.allSettled(sessions.filter((s) => !s.lost).map((s) => s.destroy()));
  }
}
