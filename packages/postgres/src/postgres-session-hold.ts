import type { Hold } from '@locksmith/core/protocol';
import type { PgSession } from './postgres-session.ts';

/** A session-mode lock: an advisory lock held by one kept connection's server session. */
export interface SessionHold extends Hold {
  /** The advisory key (decimal), as passed to `pg_advisory_unlock`. */
  readonly lockKey: string;
  readonly session: PgSession;
}
