import { BackendUnavailableError } from '@locksmith/core';

/**
 * Session mode found that consecutive statements on one pool connection ran on different server
 * connections: a multiplexing proxy (ProxySQL with multiplexing, a transaction-mode pooler) sits
 * between the pool and the server. `GET_LOCK` belongs to one server connection, so behind such a
 * proxy a lock would be taken on one connection and "released" on another. Use `mode: 'lease'`
 * there, or connect session mode to the server directly.
 */
export class SessionPoolerError extends BackendUnavailableError {
  constructor(
    /** The two `CONNECTION_ID()`s one pool connection reported, first and second statement. */
    readonly connectionIds: readonly [number, number],
    options?: { cause?: unknown },
  ) {
    super(
      'mysql',
      `session mode: two consecutive statements on one pool connection ran on different server connections ` +
        `(CONNECTION_ID ${connectionIds[0]}, then ${connectionIds[1]}), so a multiplexing proxy (ProxySQL, a ` +
        `transaction-mode pooler) is in between and GET_LOCK would be taken and released on different connections. ` +
        `Use mysqlLocks({ pool, mode: 'lease' }), or give session mode a pool that connects to the server directly.`,
      options,
    );
  }
}
