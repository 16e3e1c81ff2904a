import { BackendUnavailableError, type Clock } from '@locksmith/core';
import type { Etcd3 } from 'etcd3';
import type { EtcdHold } from './etcd-hold.ts';

/** A keep-alive or grant that has not answered after this long counts as failed. */
const MAX_RPC_MS = 5_000;

/**
 * One etcd lease shared by every lock a client takes with one `ttlMs` (etcd's
 * `concurrency.Session`). Its keys live while it lives; it is kept alive only by the lease
 * keeper's renewals of its holds (and by its own waiters), so a dead process stops renewing it and
 * the server deletes its keys after the lease TTL.
 */
export class EtcdSession {
  /** Holds taken under this lease; all of them are lost with it. */
  readonly holds = new Set<EtcdHold>();
  /** Set once etcd said the lease is gone (revoked or expired). */
  lost = false;
  /** In-flight refresh shared by waiters and new acquisitions (not by renewals: see `keepAlive`). */
  #refresh: Promise<boolean> | undefined;

  private constructor(
    private readonly client: Etcd3,
    private readonly clock: Clock,
    /** The lease id, as etcd3 passes it (a decimal string). */
    readonly leaseId: string,
    /** The TTL etcd granted, in ms: whole seconds, at least the server's minimum. */
    readonly grantedMs: number,
    /**
     * Monotonic time at which the grant or the last successful keep-alive was *sent*: the server
     * keeps the lease at least until `confirmedAt + grantedMs`.
     */
    public confirmedAt: number,
  ) {}

  /** Grants a lease of `seconds` (etcd raises it to its minimum TTL if lower). */
  static async grant(client: Etcd3, clock: Clock, seconds: number): Promise<EtcdSession> {
    const sentAt = clock.now();
    const reply = await withTimeout(client.leaseClient.leaseGrant({ TTL: seconds }), 'lease grant');
    return new EtcdSession(client, clock, String(reply.ID), Number(reply.TTL) * 1000, sentAt);
  }

  /** True while the lease is known to live for at least `marginMs` more (then new keys may join it). */
  alive(marginMs: number): boolean {
    return !this.lost && this.clock.now() + marginMs < this.confirmedAt + this.grantedMs;
  }

  /**
   * Sends one keep-alive now. Resolves `true` (and moves `confirmedAt` to this send time) when the
   * lease lives, `false` when etcd says it is gone. A renewal must not join a keep-alive already in
   * flight: that one was sent earlier, and the renewed deadline must be dated no later than its send.
   * @throws BackendUnavailableError when etcd could not be reached in time.
   */
  async keepAlive(): Promise<boolean> {
    if (this.lost) return false;
    const sentAt = this.clock.now();
    const ttl = await withTimeout(this.#keepAliveOnce(), 'lease keep-alive');
    if (ttl <= 0) {
      this.lost = true;
      return false;
    }
    this.confirmedAt = Math.max(this.confirmedAt, sentAt);
    return true;
  }

  /** A keep-alive for liveness only (waiters, new acquisitions): joins one in flight. */
  refresh(): Promise<boolean> {
    this.#refresh ??= this.keepAlive().finally(() => {
      this.#refresh = undefined;
    });
    return this.#refresh;
  }

  /** When the next liveness keep-alive is due (a third of the TTL after the last one). */
  refreshDueAt(): number {
    return this.confirmedAt + this.grantedMs / 3;
  }

  /** Revokes the lease: etcd deletes every key still attached to it. */
  async revoke(): Promise<void> {
    this.lost = true;
    await withTimeout(this.client.leaseClient.leaseRevoke({ ID: this.leaseId }), 'lease revoke');
  }

  /** The TTL etcd answers to one keep-alive on a fresh stream (0: the lease is gone). */
  async #keepAliveOnce(): Promise<number> {
    const stream = await this.client.leaseClient.leaseKeepAlive();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await new Promise<number>((resolve, reject) => {
        stream.on('data', (r: { TTL: string }) => resolve(Number(r.TTL)));
        stream.on('error', reject);
        stream.on('end', () => reject(new Error('keep-alive stream ended without a reply')));
        timer = setTimeout(() => reject(new Error(`no reply within ${MAX_RPC_MS} ms`)), MAX_RPC_MS);
        timer.unref?.();
        stream.write({ ID: this.leaseId });
      });
    } finally {
      clearTimeout(timer);
      stream.end(); // also when no reply came: no stream is left open
    }
  }
}

/** The lease TTL, in whole seconds, that covers `ttlMs`. */
export function leaseSeconds(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs / 1000));
}

/** Rejects with BackendUnavailableError when `promise` has not settled within {@link MAX_RPC_MS}. */
async function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new BackendUnavailableError('etcd', `${what} got no reply within ${MAX_RPC_MS} ms`)),
      MAX_RPC_MS,
    );
    timer.unref?.();
  });
  try {
    return await Promise.race([promise, timeout]);
  } catch (error) {
    if (BackendUnavailableError.isInstance(error)) throw error;
    throw new BackendUnavailableError(
      'etcd',
      `${what} failed: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  } finally {
    clearTimeout(timer);
  }
}
