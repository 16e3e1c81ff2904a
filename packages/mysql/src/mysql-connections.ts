import type { Pool, PoolConnection } from 'mysql2/promise';
import { SessionPoolerError } from './mysql-errors.ts';

/** TCP keep-alive on kept connections: a dead server (or path) ends their holds in about a minute. */
export const KEEPALIVE_DELAY_MS = 10_000;

/** The core connection under mysql2's promise wrapper: its socket and close events. */
interface CoreConnection {
  readonly stream?: { setKeepAlive?(enable: boolean, initialDelay: number): unknown };
  on(event: 'error' | 'end', listener: (error?: unknown) => void): unknown;
}

/** A pool connection kept by the session protocol for one waiting acquire or one held lock. */
export class KeptConnection {
  /** The server's `CONNECTION_ID()`, read at setup: `KILL` and the pooler check use it. */
  id = 0;
  /** The session's `wait_timeout`, in seconds, as last set. */
  waitTimeoutS = 0;
  /** The connection closed or failed: the server dropped (or will drop) its named locks. */
  lost = false;
  /** Locks held on this connection: at most one (see MysqlSessionProtocol). */
  readonly holds = new Set<{ readonly key: string }>();

  constructor(readonly conn: PoolConnection) {}
}

/**
 * The server's idle limit for a holder's connection: the server closes it, freeing its locks,
 * after this many seconds without a statement (a holder that crashed, hangs, or was paused past
 * its TTL). One second above the TTL: the lease's local deadline is dated from the reply, a
 * little after the server started counting.
 */
export function waitTimeoutFor(ttlMs: number): number {
  return Math.ceil(ttlMs / 1000) + 1;
}

/**
 * The connections that session mode takes out of the user's pool: one per waiting acquire or held
 * lock, kept (not returned to the pool) while idle so their setup is paid once, and destroyed by
 * `close()`. Each is set up on first use: the pooler check, TCP keep-alive, `wait_timeout`.
 */
export class MysqlConnections {
  readonly #pool: Pool;
  readonly #onLost: (kept: KeptConnection, error: unknown) => void;
  readonly #setup: (kept: KeptConnection) => Promise<void>;
  readonly #idle: KeptConnection[] = [];
  readonly #all = new Set<KeptConnection>();

  /** `setup` runs on each new connection after the pooler check, before anything else uses it. */
  constructor(
    pool: Pool,
    onLost: (kept: KeptConnection, error: unknown) => void,
    setup: (kept: KeptConnection) => Promise<void> = async () => undefined,
  ) {
    this.#pool = pool;
    this.#onLost = onLost;
    this.#setup = setup;
  }

  /** An idle kept connection, or a new one from the pool; its `wait_timeout` set for `ttlMs`. */
  async get(ttlMs: number): Promise<KeptConnection> {
    let kept = this.#idle.pop();
    while (kept?.lost) kept = this.#idle.pop();
    if (kept === undefined) kept = await this.#open();
    try {
      await this.setWaitTimeout(kept, ttlMs);
    } catch (error) {
      this.discard(kept);
      throw error;
    }
    return kept;
  }

  /** Sets the connection's `wait_timeout` for a lease of `ttlMs` when it differs (one round trip). */
  async setWaitTimeout(kept: KeptConnection, ttlMs: number): Promise<void> {
    const seconds = waitTimeoutFor(ttlMs);
    if (kept.waitTimeoutS === seconds) return;
    await kept.conn.query('SET SESSION wait_timeout = ?', [seconds]);
    kept.waitTimeoutS = seconds;
  }

  /** Back to the idle list: it holds no lock. */
  put(kept: KeptConnection): void {
    if (kept.lost || !this.#all.has(kept)) return;
    this.#idle.push(kept);
  }

  /** Closes the connection (the server then frees whatever it held) and forgets it. */
  discard(kept: KeptConnection): void {
    kept.lost = true;
    this.#all.delete(kept);
    try {
      kept.conn.destroy();
    } catch {
      // already closed
    }
  }

  /** Destroys every kept connection; the server frees their locks. */
  closeAll(): void {
    for (const kept of [...this.#all]) this.discard(kept);
    this.#idle.length = 0;
  }

  async #open(): Promise<KeptConnection> {
    const conn = await this.#pool.getConnection();
    const kept = new KeptConnection(conn);
    const core = conn.connection as unknown as CoreConnection;
    const lost = (error?: unknown) => {
      if (kept.lost) return;
      kept.lost = true;
      this.#all.delete(kept);
      this.#onLost(kept, error ?? new Error('the server closed the connection'));
    };
    // Without a listener, a dropped connection's 'error' would be an uncaught exception.
    core.on('error', lost);
    core.on('end', lost);
    core.stream?.setKeepAlive?.(true, KEEPALIVE_DELAY_MS);
    this.#all.add(kept);
    try {
      // The pooler check: a proxy that multiplexes statements onto server connections shows
      // two ids for two consecutive statements (and session locks would silently break).
      const first = await connectionId(kept);
      const second = await connectionId(kept);
      if (first !== second) throw new SessionPoolerError([first, second]);
      kept.id = first;
      await this.#setup(kept);
    } catch (error) {
      this.discard(kept);
      throw error;
    }
    return kept;
  }
}

/** `CONNECTION_ID()` of the server connection that ran this statement. */
export async function connectionId(kept: KeptConnection): Promise<number> {
  const [rows] = await kept.conn.query('SELECT CONNECTION_ID() AS id');
  return Number((rows as { id: number | string }[])[0]?.id);
}
