// The statements of session mode. Every one returns the backend pid it ran on, so a connection
// whose statements move between server sessions (a transaction-mode pooler) is caught.

/** Try-lock; the token is taken only when the lock was (CASE evaluates its branch after the test). */
export const trySql = (sequence: string) =>
  `SELECT CASE WHEN pg_try_advisory_lock($1::bigint) THEN nextval('${sequence}') END AS token, pg_backend_pid() AS pid`;

/**
 * Blocking lock, queued by the server (FIFO); the token is taken after the grant: the subquery
 * (kept apart by OFFSET 0) yields its row only once the lock is held.
 */
export const waitSql = (sequence: string) =>
  `SELECT nextval('${sequence}') AS token, pg_backend_pid() AS pid FROM (SELECT pg_advisory_lock($1::bigint) OFFSET 0) AS granted`;

/** Unlock; `ok` is false (and the server logs a warning) when this session did not hold it. */
export const UNLOCK_SQL = 'SELECT pg_advisory_unlock($1::bigint) AS ok, pg_backend_pid() AS pid';

/** A renewal: proves the session (and so every lock on it) still lives. */
export const PING_SQL = 'SELECT pg_backend_pid() AS pid';

/** Cancels a blocking wait from another connection. */
export const CANCEL_SQL = 'SELECT pg_cancel_backend($1)';

/** One row of a lock statement. */
export interface LockRow {
  readonly token: string | null;
  readonly pid: number;
}

/** The row of {@link UNLOCK_SQL}. */
export interface UnlockRow {
  readonly ok: boolean;
  readonly pid: number;
}
