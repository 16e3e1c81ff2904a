import type pg from 'pg';
import type { Notification, Pool, PoolClient } from 'pg';

/**
 * Lease mode's wake-ups: one connection per lock client, kept out of the pool, `LISTEN`ing on the
 * release channel. A release NOTIFYs the key's advisory key (decimal); every waiter of that key
 * in this client then tries again. When the connection fails, waiters fall back on their retry
 * time (the holder's remaining TTL) and the next wait opens a new one. Behind a transaction-mode
 * pooler LISTEN does not work: pass `notify: false` and waiters retry on time alone.
 */
export class ReleaseListener {
  readonly #waiters = new Map<string, Set<() => void>>();
  #client: Promise<PoolClient> | undefined;
  /** The connection `#client` resolved to, so a failure of an older one does not drop it. */
  #current: PoolClient | undefined;
  #closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly channel: string,
  ) {}

  /**
   * Registers a waiter of `lockKey` and resolves, once LISTEN is in effect, a promise that
   * resolves on the next release of that key, plus the function that unregisters it. Register
   * before trying the lock, so a release between the try and the wait is not missed.
   */
  async subscribe(lockKey: string): Promise<{ wake: Promise<void>; stop: () => void }> {
    let stop = noop;
    const wake = new Promise<void>((resolve) => {
      const set = this.#waiters.get(lockKey) ?? new Set();
      this.#waiters.set(lockKey, set);
      const entry = () => resolve();
      set.add(entry);
      stop = () => {
        set.delete(entry);
        if (set.size === 0 && this.#waiters.get(lockKey) === set) this.#waiters.delete(lockKey);
      };
    });
    try {
      await this.#connect();
    } catch {
      // No push: the waiter retries on time.
    }
    return { wake, stop };
  }

  /**
   * Runs a statement on the LISTEN connection when it is open (renewals use it: they must not
   * queue behind acquires for a pool connection while leases run out); `undefined` when it is not.
   */
  async query<R extends object>(sql: string, values: unknown[]): Promise<R[] | undefined> {
    const client = this.#current;
    if (client === undefined || this.#closed) return undefined;
    return (await client.query<R & pg.QueryResultRow>(sql, values)).rows;
  }

  /** Ends the LISTEN connection (hands it back to the pool, unlistened). */
  async close(): Promise<void> {
    this.#closed = true;
    const pending = this.#client;
    this.#client = undefined;
    this.#current = undefined;
    const client = await pending?.catch(() => undefined);
    if (client === undefined) return;
    try {
      await client.query(`UNLISTEN ${this.channel}`);
      client.release();
    } catch (error) {
      client.release(error instanceof Error ? error : true);
    }
  }

  #connect(): Promise<PoolClient> {
    if (this.#closed) return Promise.reject(new Error('closed'));
    this.#client ??= this.#open().catch((error: unknown) => {
      this.#client = undefined;
      throw error;
    });
    return this.#client;
  }

  async #open(): Promise<PoolClient> {
    const client = await this.pool.connect();
    this.#current = client;
    const fail = () => {
      if (this.#current === client) {
        this.#current = undefined;
        this.#client = undefined;
      }
      client.off('notification', onNotification);
      client.on('error', noop);
      try {
        client.release(true);
      } catch {
        // already released
      }
      // Everyone waiting may have missed a release: let them try again now.
      for (const set of this.#waiters.values()) for (const wake of set) wake();
    };
    const onNotification = (message: Notification) => {
      if (message.channel !== this.channel || message.payload === undefined) return;
      for (const wake of this.#waiters.get(message.payload) ?? []) wake();
    };
    client.on('error', fail);
    client.on('end', fail);
    client.on('notification', onNotification);
    try {
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      fail();
      throw error;
    }
    return client;
  }
}

function noop(): void {}
