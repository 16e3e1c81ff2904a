import { BackendUnavailableError } from '@locksmith/core';

/**
 * Session mode found that consecutive statements on one connection ran on different server
 * sessions: a transaction-mode pooler (PgBouncer `pool_mode = transaction`, RDS Proxy, ProxySQL…)
 * sits between the pool and PostgreSQL. Advisory locks belong to a server session, so behind such
 * a pooler a lock would be taken on one session and "released" on another: it would leak, and two
 * clients could both believe they hold it. Use `mode: 'lease'` there, or connect session mode
 * directly (or through a session-mode pooler).
 */
export class SessionPoolerError extends BackendUnavailableError {
  constructor(
    /** The two `pg_backend_pid()`s one connection reported, first and second statement. */
    readonly pids: readonly [number, number],
    options?: { cause?: unknown },
  ) {
    super(
      'postgres',
      `session mode: two consecutive statements on one connection ran on different server sessions ` +
        `(backend pids ${pids[0]} and ${pids[1]}), so a transaction-mode pooler (PgBouncer, RDS Proxy, ProxySQL…) ` +
        `is in between and advisory locks would leak or be shared. Use postgresLocks({ pool, mode: 'lease' }), ` +
        `or give session mode a pool that connects to PostgreSQL directly (or through a session-mode pooler).`,
      options,
    );
  }
}
