import type { Socket } from 'node:net';
import type { LockLostError } from '@locksmith/core';
import type { PoolClient } from 'pg';
import { SessionPoolerError } from './postgres-errors.ts';
import type { SessionHold } from './postgres-session-hold.ts';
import { isLifted, lift, type TokenFloor } from './postgres-token-floor.ts';

/** What this package knows of one physical connection (a `pg.Client` the pool hands out again). */
interface ConnectionFacts {
  /** The backend pid the first check saw; every later statement must run on it. */
  readonly pid: number;
  /** The TCP keepalive set on the server side covers silence up to this many ms. */
  keepaliveMs: number;
}

/** Facts per physical connection, kept across checkouts: the pooler check runs once per connection. */
const known = new WeakMap<object, ConnectionFacts>();

/** Server-side keepalive probes: the interval (s) and count after the idle time. */
const KEEPALIVE_INTERVAL_S = 5;
const KEEPALIVE_COUNT = 3;
/** Client-side keepalive on our sockets: a dead server is noticed (and its locks reported lost). */
const CLIENT_KEEPALIVE_MS = 10_000;

/**
 * One connection checked out of the user's pool and kept while it holds advisory locks (they
 * belong to its server session) or runs a statement for us. It is handed back to the pool once it
 * holds nothing. When the connection fails, every lock on it is gone on the server at the same
 * moment (the server ends the session), and they are reported lost at once.
 */
export class PgSession {
  readonly holds = new Set<SessionHold>();
  /** Statements of ours in flight (a wait, a try, an unlock). */
  busy = 0;
  /** Advisory keys with a lock statement in flight here (never two for one key on one session). */
  readonly pending = new Set<string>();
  /** A blocking wait occupies the connection: nothing else is queued behind it. */
  waiting = false;
  /** Set once the connection failed or was destroyed: no statement goes to it again. */
  dead = false;
  /**
   * A cancel was sent to this session, or a lock statement on it failed. A cancel can reach the
   * backend after the statement it targeted ended and fail the next one, and a failed statement
   * may have taken its lock before failing (a session lock survives the statement's error): such
   * a connection is never used again. It is destroyed once it holds nothing we know of, and the
   * server then frees whatever its session held.
   */
  retired = false;
  /** The backend pid of this connection's server session. */
  pid = 0;
  readonly #onError = (error: unknown) => this.fail(error);
  readonly #onEnd = () => this.fail(new Error('the connection ended'));
  #report: (hold: SessionHold, error: LockLostError) => void;
  #lost: (hold: SessionHold) => LockLostError;
  readonly #floor: TokenFloor;

  constructor(
    readonly client: PoolClient,
    report: (hold: SessionHold, error: LockLostError) => void,
    lost: (hold: SessionHold) => LockLostError,
    floor: TokenFloor,
  ) {
    this.#report = report;
    this.#lost = lost;
    this.#floor = floor;
    // A checked-out pg client that fails with no 'error' listener crashes the process.
    client.on('error', this.#onError);
    client.on('end', this.#onEnd);
    // pg keeps its socket at client.connection.stream (not in its types).
    const { connection } = client as unknown as { connection?: { stream?: Partial<Socket> } };
    connection?.stream?.setKeepAlive?.(true, CLIENT_KEEPALIVE_MS);
  }

  /**
   * First use of a physical connection: two statements must run on the same server session, or a
   * transaction-mode pooler is in between. The first also sets server-side TCP keepalive, so a
   * holder that went silent (host down, network cut) is dropped, and its locks freed, once the
   * keepalive gives up, and `client_connection_check_interval` (PostgreSQL ≥ 14), so a waiter whose
   * connection we destroyed leaves the lock queue within a second. The second lifts the token
   * sequence to the server's clock (postgres-token-floor.ts), before the connection draws a token.
   * @throws SessionPoolerError when the two statements ran on different sessions.
   */
  check(ttlMs: number): Promise<void> | undefined {
    const facts = known.get(this.client);
    if (facts === undefined) return this.#firstCheck(ttlMs);
    // Known connection: nothing to wait for unless a longer TTL needs a longer keepalive, or
    // another client (another prefix) used it before without lifting this sequence.
    this.pid = facts.pid;
    const keepalive = facts.keepaliveMs < ttlMs;
    const lifted = isLifted(this.client, this.#floor);
    if (!keepalive && lifted) return undefined;
    return (async () => {
      if (keepalive) await this.#keepalive(facts, ttlMs);
      if (!lifted) this.expectPid(await lift(this.client, this.#floor));
    })();
  }

  async #firstCheck(ttlMs: number): Promise<void> {
    const first = await this.#keepaliveQuery(ttlMs);
    const second = await lift(this.client, this.#floor);
    if (first !== second) throw new SessionPoolerError([first, second]);
    this.pid = first;
    known.set(this.client, { pid: first, keepaliveMs: keepaliveCovers(ttlMs) });
  }

  /** Compares a statement's backend pid with this session's. @throws SessionPoolerError */
  expectPid(pid: number): void {
    if (pid !== this.pid) {
      const error = new SessionPoolerError([this.pid, pid]);
      this.fail(error);
      throw error;
    }
  }

  /** The connection failed: its server session is gone, and with it every lock it held. */
  fail(error: unknown): void {
    if (this.dead) return;
    this.dead = true;
    this.#detach();
    // pg may emit 'error' again on a destroyed client: keep a listener so it is never unhandled.
    this.client.on('error', noop);
    try {
      this.client.release(error instanceof Error ? error : new Error(String(error)));
    } catch {
      // Already released (pg throws on a double release): nothing left to give back.
    }
    const holds = [...this.holds];
    this.holds.clear();
    for (const hold of holds) this.#report(hold, this.#lost(hold));
  }

  /** Hands an empty, healthy connection back to the pool (destroys a retired one). */
  giveBack(): void {
    if (this.retired) {
      this.fail(new Error('this connection was retired (cancelled or failed statement)'));
      return;
    }
    if (this.dead) return;
    this.dead = true;
    this.#detach();
    this.client.release();
  }

  #detach(): void {
    this.client.off('error', this.#onError);
    this.client.off('end', this.#onEnd);
  }

  async #keepalive(facts: ConnectionFacts, ttlMs: number): Promise<void> {
    const pid = await this.#keepaliveQuery(ttlMs);
    this.expectPid(pid);
    facts.keepaliveMs = keepaliveCovers(ttlMs);
  }

  async #keepaliveQuery(ttlMs: number): Promise<number> {
    const idle = String(Math.max(1, Math.ceil(ttlMs / 1000)));
    const { rows } = await this.client.query<{ pid: number }>(
      `SELECT pg_backend_pid() AS pid,
        set_config('tcp_keepalives_idle', $1, false),
        set_config('tcp_keepalives_interval', '${KEEPALIVE_INTERVAL_S}', false),
        set_config('tcp_keepalives_count', '${KEEPALIVE_COUNT}', false),
        CASE WHEN current_setting('server_version_num')::int >= 140000
          THEN set_config('client_connection_check_interval', '1000', false) END`,
      [idle],
    );
    return rows[0]?.pid ?? 0;
  }
}

/** How long a silent peer survives the server-side keepalive set for `ttlMs`: never less than it. */
function keepaliveCovers(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs / 1000)) * 1000;
}

function noop(): void {}
