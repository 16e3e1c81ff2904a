import { randomBytes } from 'node:crypto';
import type { Capabilities, Clock, LockLostError } from '@locksmith/core';
import {
  type AcquireRequest,
  Cleanups,
  type ExtendRequest,
  type Hold,
  type LockAttempt,
  type LockProtocol,
} from '@locksmith/core/protocol';
import type { Pool } from 'pg';
import { advisoryKey, type SchemaNames } from './postgres-keys.ts';
import { abandonSql, acquireSql, extendSql, releaseSql, sweepSql } from './postgres-lease-sql.ts';
import { ReleaseListener } from './postgres-listener.ts';
import type { SchemaReady } from './postgres-schema.ts';
import { isLifted, lift, type TokenFloor, tokenFloor } from './postgres-token-floor.ts';

/** A lease-mode lock: the row of its key, held under this attempt's holder id and token. */
export interface LeaseHold extends Hold {
  readonly holder: string;
  readonly lockKey: string;
}

/** Settings of {@link LeaseProtocol}, validated by `postgresLocks`. */
export interface LeaseProtocolSettings {
  readonly prefix: string;
  readonly names: SchemaNames;
  readonly schema: SchemaReady;
  readonly clock: Clock;
  /** Waiters wake on NOTIFY (a LISTEN connection per client); `false`: retry on time alone. */
  readonly notify: boolean;
  /** Longest wait between two tries of a waiter when no NOTIFY comes. */
  readonly pollMs: number;
  readonly closeTimeoutMs: number;
}

/** Expired rows are swept at most this often per client (in the background of an acquire). */
const SWEEP_EVERY_MS = 60_000;

/**
 * Lease mode: a lock is a row `(key, holder, token, expires_at)` whose expiry the server judges
 * with its own `now()`. Acquire is one statement (take the row if absent or expired, with a new
 * token); extend and release match the holder id and token, so a stale holder can never extend or
 * delete its successor's row. A release NOTIFYs the key's waiters; without one (the holder died),
 * waiters retry when the row expires. Works through any pool, transaction poolers included.
 */
export class LeaseProtocol implements LockProtocol<LeaseHold> {
  readonly backend = 'postgres';
  readonly capabilities: Capabilities = {
    fencing: 'strict',
    wait: 'push',
    fifo: false,
    primitives: ['lock'],
  };
  readonly #pool: Pool;
  readonly #settings: LeaseProtocolSettings;
  readonly #listener: ReleaseListener | undefined;
  readonly #cleanups: Cleanups;
  readonly #floor: TokenFloor;
  readonly #sql: {
    acquire: string;
    release: string;
    abandon: string;
    extend: string;
    sweep: string;
  };
  #sweptAt = Number.NEGATIVE_INFINITY;

  constructor(pool: Pool, settings: LeaseProtocolSettings) {
    this.#pool = pool;
    this.#settings = settings;
    this.#listener = settings.notify ? new ReleaseListener(pool, settings.names.channel) : undefined;
    this.#cleanups = new Cleanups(settings.clock);
    const { names } = settings;
    this.#floor = tokenFloor(settings.prefix, names);
    this.#sql = {
      acquire: acquireSql(names),
      release: releaseSql(names),
      abandon: abandonSql(names),
      extend: extendSql(names),
      sweep: sweepSql(names),
    };
  }

  attempt(key: string, { ttlMs, wait }: AcquireRequest): LockAttempt<LeaseHold> {
    const { clock, schema, pollMs } = this.#settings;
    const lockKey = advisoryKey(this.#settings.prefix, key).toString();
    const holder = randomBytes(12).toString('base64url');
    let stop: (() => void) | undefined;
    /** An acquire was sent and its reply did not come: the row may be ours. */
    let unanswered = false;
    return {
      take: async () => {
        await schema.ensure();
        this.#sweep();
        stop?.();
        stop = undefined;
        let wake: Promise<void> | undefined;
        if (wait && this.#listener !== undefined) {
          // Listening before the try: a release between the try and the wait still wakes us.
          ({ wake, stop } = await this.#listener.subscribe(lockKey));
        }
        let sentAt = 0;
        const row = await this.#acquire([key, holder, ttlMs, lockKey], () => {
          sentAt = clock.now();
          unanswered = true;
        });
        unanswered = false;
        if (row?.token != null) {
          stop?.();
          stop = undefined;
          return { hold: { key, token: BigInt(row.token), sentAt, ttlMs, holder, lockKey } };
        }
        // Fallback: try again when the holder's row expires (a holder that died sends no NOTIFY).
        const remaining = Math.max(0, Number(row?.remaining_ms ?? 0));
        return { retryMs: Math.min(pollMs, remaining + 1 + Math.random() * 5), ...(wake ? { wake } : {}) };
      },
      leave: async (late) => {
        stop?.();
        stop = undefined;
        if (late !== undefined) {
          await this.release(late).catch(noop);
          return;
        }
        if (!unanswered) return;
        // The acquire's reply was lost: it may have taken the row. Delete it by this attempt's
        // holder id, retried until the row would have expired anyway.
        const until = clock.now() + ttlMs;
        this.#cleanups.run(() => this.#pool.query(this.#sql.abandon, [key, holder, lockKey]), until);
      },
    };
  }

  async release(hold: LeaseHold): Promise<boolean> {
    const { rows } = await this.#pool.query<{ released: number }>(this.#sql.release, [
      hold.key,
      hold.holder,
      hold.token.toString(),
      hold.lockKey,
    ]);
    return (rows[0]?.released ?? 0) > 0;
  }

  async extend(requests: readonly ExtendRequest<LeaseHold>[]): Promise<boolean[]> {
    const values = [
      requests.map((r) => r.hold.key),
      requests.map((r) => r.hold.holder),
      requests.map((r) => r.hold.token.toString()),
      requests.map((r) => r.ttlMs),
    ];
    // On the kept LISTEN connection when there is one: a renewal that queued behind a burst of
    // acquires for a pool connection could arrive after the leases ran out.
    const rows =
      (await this.#listener?.query<{ token: string }>(this.#sql.extend, values)) ??
      (await this.#pool.query<{ token: string }>(this.#sql.extend, values)).rows;
    const renewed = new Set(rows.map((r) => r.token));
    return requests.map((r) => renewed.has(r.hold.token.toString()));
  }

  onLoss(_report: (hold: LeaseHold, error: LockLostError) => void): void {
    // Rows only end by expiry (the keeper's deadline) or by another holder (extend says false).
  }

  async close(): Promise<void> {
    await this.#cleanups.settle(this.#settings.closeTimeoutMs);
    await this.#listener?.close();
  }

  /**
   * Runs the acquire statement on a connection of the pool, lifting the token sequence on it first
   * when it never was (postgres-token-floor.ts): a crash cannot bring the sequence back below a
   * token handed out. `onSend` is called as the statement goes (not the lift before it).
   */
  async #acquire(
    values: readonly unknown[],
    onSend: () => void,
  ): Promise<{ token: string | null; remaining_ms: string | null } | undefined> {
    const client = await this.#pool.connect();
    // A checked-out pg client that fails with no 'error' listener crashes the process.
    client.on('error', noop);
    try {
      if (!isLifted(client, this.#floor)) await lift(client, this.#floor);
      onSend();
      const { rows } = await client.query<{ token: string | null; remaining_ms: string | null }>(
        this.#sql.acquire,
        [...values],
      );
      client.off('error', noop);
      client.release();
      return rows[0];
    } catch (error) {
      client.off('error', noop);
      // As pool.query does: a connection whose statement failed is not handed out again.
      client.release(error instanceof Error ? error : true);
      throw error;
    }
  }

  /** Deletes long-expired rows now and then, so keys nobody takes again leave nothing behind. */
  #sweep(): void {
    const now = this.#settings.clock.now();
    if (now - this.#sweptAt < SWEEP_EVERY_MS) return;
    this.#sweptAt = now;
    this.#cleanups.run(() => this.#pool.query(this.#sql.sweep));
  }
}

function noop(): void {}
