import { randomBytes } from 'node:crypto';
import type { Capabilities } from '@locksmith/core';
import {
  type AcquireRequest,
  Cleanups,
  type ExtendRequest,
  type Hold,
  type LockAttempt,
  type LockProtocol,
} from '@locksmith/core/protocol';
import type { Pool, ResultSetHeader } from 'mysql2/promise';
import { mysqlLockName } from './mysql-names.ts';
import { NOW_US } from './mysql-schema.ts';
import type { MysqlProtocolSettings } from './mysql-session-protocol.ts';

/** A lock held in lease mode: the lease row of `name`, written by `holder`. */
export interface MysqlLeaseHold extends Hold {
  readonly name: string;
  /** This acquisition's own id (random): extend and release touch the row only while it is ours. */
  readonly holder: string;
}

/** Waiters of another process are not told of a release: they retry, from 2 ms doubling to 64 ms, jittered. */
const RETRY_BASE_MS = 2;
const RETRY_CAP_MS = 64;
/** `close()` waits at most this long for clean-ups of lost replies. */
const CLOSE_TIMEOUT_MS = 2_000;

/**
 * Take the row in one statement: insert it, or take it over when it has expired by the server's
 * clock. Assignments run left to right, so `holder` is set from the old expiry and `expires_us`
 * from the new holder. The reply's insert id is the new token when the row became ours, and 0
 * when someone else holds it (`LAST_INSERT_ID(0)` in the busy branch).
 */
function acquireSql(leases: string): string {
  return (
    `INSERT INTO ${leases} (name, holder, expires_us, token) VALUES (?, ?, ${NOW_US} + ?, LAST_INSERT_ID(${NOW_US})) ` +
    'ON DUPLICATE KEY UPDATE ' +
    `token = IF(expires_us <= ${NOW_US}, LAST_INSERT_ID(GREATEST(token + 1, ${NOW_US})), token + LAST_INSERT_ID(0)), ` +
    `holder = IF(expires_us <= ${NOW_US}, VALUES(holder), holder), ` +
    'expires_us = IF(holder = VALUES(holder), VALUES(expires_us), expires_us)'
  );
}

/**
 * Lease mode: a lock is a row with an expiry judged by the server's clock, taken in one
 * statement, extended and released only by its holder's id. Each statement runs on whatever pool
 * connection is free, so it works behind ProxySQL or any multiplexing proxy. MySQL has no
 * LISTEN/NOTIFY: a waiter in this process is woken by a release in this process; otherwise it
 * retries with a jittered backoff (`wait: 'poll'`).
 */
export class MysqlLeaseProtocol implements LockProtocol<MysqlLeaseHold> {
  readonly backend = 'mysql';
  readonly capabilities: Capabilities = {
    fencing: 'strict',
    wait: 'poll',
    fifo: false,
    primitives: ['lock'],
  };
  readonly #pool: Pool;
  readonly #settings: MysqlProtocolSettings;
  readonly #acquireSql: string;
  readonly #cleanups: Cleanups;
  /** Waiters in this process per lock name, woken by a release in this process. */
  readonly #waiters = new Map<string, Set<() => void>>();

  constructor(pool: Pool, settings: MysqlProtocolSettings) {
    this.#pool = pool;
    this.#settings = settings;
    this.#acquireSql = acquireSql(settings.schema.tables.leases);
    this.#cleanups = new Cleanups(settings.clock);
  }

  attempt(key: string, { ttlMs, wait }: AcquireRequest): LockAttempt<MysqlLeaseHold> {
    const { clock, schema } = this.#settings;
    const name = mysqlLockName(this.#settings.prefix, key);
    const holder = randomBytes(12).toString('base64url');
    /** Until when a row this attempt may have written (its reply lost) can hold the lock. */
    let mayHoldUntil: number | undefined;
    let delay = RETRY_BASE_MS;
    let unsubscribe: (() => void) | undefined;
    return {
      take: async () => {
        unsubscribe?.();
        unsubscribe = undefined;
        await schema.ready();
        schema.maybePrune(clock.now());
        const sentAt = clock.now();
        mayHoldUntil = sentAt + ttlMs;
        const [result] = await this.#pool.query<ResultSetHeader>(this.#acquireSql, [
          name,
          holder,
          ttlMs * 1000,
        ]);
        mayHoldUntil = undefined;
        const token = BigInt(result.insertId);
        if (token > 0n) return { hold: { key, token, sentAt, ttlMs, name, holder } };
        if (!wait) return { retryMs: 0 };
        const wake = new Promise<void>((resolve) => {
          unsubscribe = this.#subscribe(name, resolve);
        });
        const retryMs = Math.floor(delay * (0.5 + Math.random() / 2));
        delay = Math.min(delay * 2, RETRY_CAP_MS);
        return { retryMs, wake };
      },
      leave: async (late) => {
        unsubscribe?.();
        if (late !== undefined) {
          await this.release(late).catch(() => undefined);
          return;
        }
        // A take whose reply was lost may have written the row: free it by this attempt's id.
        const until = mayHoldUntil;
        if (until !== undefined) {
          this.#cleanups.run(() => this.#free(name, holder), until);
        }
      },
    };
  }

  async release(hold: MysqlLeaseHold): Promise<boolean> {
    const freed = await this.#free(hold.name, hold.holder);
    return freed;
  }

  async extend(requests: readonly ExtendRequest<MysqlLeaseHold>[]): Promise<boolean[]> {
    return Promise.all(
      requests.map(async ({ hold, ttlMs }) => {
        const [result] = await this.#pool.query<ResultSetHeader>(
          `UPDATE ${this.#settings.schema.tables.leases} SET expires_us = ${NOW_US} + ? ` +
            `WHERE name = ? AND holder = ? AND expires_us > ${NOW_US}`,
          [ttlMs * 1000, hold.name, hold.holder],
        );
        return result.affectedRows > 0;
      }),
    );
  }

  async close(): Promise<void> {
    await this.#cleanups.settle(CLOSE_TIMEOUT_MS);
    await this.#settings.schema.settle(CLOSE_TIMEOUT_MS);
  }

  /** Ends the row's lease if `holder` still has it (the row stays: its token counter lives on). */
  async #free(name: string, holder: string): Promise<boolean> {
    const [result] = await this.#pool.query<ResultSetHeader>(
      `UPDATE ${this.#settings.schema.tables.leases} SET expires_us = ${NOW_US} ` +
        `WHERE name = ? AND holder = ? AND expires_us > ${NOW_US}`,
      [name, holder],
    );
    const freed = result.affectedRows > 0;
    if (freed) this.#wake(name);
    return freed;
  }

  #subscribe(name: string, wake: () => void): () => void {
    let set = this.#waiters.get(name);
    if (set === undefined) {
      set = new Set();
      this.#waiters.set(name, set);
    }
    set.add(wake);
    return () => {
      set.delete(wake);
      if (set.size === 0 && this.#waiters.get(name) === set) this.#waiters.delete(name);
    };
  }

  #wake(name: string): void {
    const set = this.#waiters.get(name);
    if (set === undefined) return;
    for (const wake of set) wake();
  }
}
