import { type Clock, InvalidArgumentError, type LockClient } from '@locksmith/core';
import {
  createLockClient,
  MAX_TIMER_MS,
  validateBoolean,
  validateInteger,
  validateOptionsObject,
} from '@locksmith/core/protocol';
import { type LeaseTimingOptions, resolveClientTiming } from '@locksmith/lease';
import type { Pool } from 'pg';
import { DEFAULT_PREFIX, schemaNames, validatePrefix } from './postgres-keys.ts';
import { LeaseProtocol } from './postgres-lease-protocol.ts';
import { SchemaReady } from './postgres-schema.ts';
import { SessionProtocol } from './postgres-session-protocol.ts';

/** How locks are held: see {@link PostgresLocksOptions.mode}. */
export type PostgresLockMode = 'session' | 'lease';

/** Options of {@link postgresLocks}. */
export interface PostgresLocksOptions {
  /**
   * Your `pg.Pool` (pg ≥ 8.23). Never ended by locksmith. Session mode keeps one of its
   * connections per lock waiting in the server's queue and as few as it can for held locks (they
   * belong to a connection); lease mode uses it per statement, plus one for LISTEN.
   */
  readonly pool: Pool;
  /**
   * `'session'`: session-level advisory locks on connections this client keeps; waiters queue
   * in the server (FIFO). The server frees a lock only on unlock or when its connection ends;
   * `ttlMs` is the client-side lease. Needs a direct connection (or a session-mode pooler): a
   * transaction-mode pooler is detected and refused with `SessionPoolerError`.
   * `'lease'`: a row per key with an expiry judged by the server's `now()`; works through any
   * pooler; waiters wake on NOTIFY (not FIFO).
   * @defaultValue `'session'`
   */
  readonly mode?: PostgresLockMode;
  /**
   * Prefix of the sequence `<prefix>_token`, the table `<prefix>_lease`, the channel
   * `<prefix>_release`, and of every hashed key (clients with different prefixes never contend).
   * 1–40 characters of `a-z`, `0-9`, `_`.
   * @defaultValue `'locksmith'`
   */
  readonly prefix?: string;
  /**
   * `true`: the first acquire creates the sequence and table when they are missing (needs
   * `CREATE` on the schema). `false`: they must exist (run `migratePostgresLocks` once as their
   * owner); the first acquire only checks, without any `CREATE` privilege.
   * @defaultValue `true`
   */
  readonly migrate?: boolean;
  /**
   * Lease mode: wake waiters by LISTEN/NOTIFY (one pool connection kept per client). Set `false`
   * behind a transaction-mode pooler, where LISTEN does not work; waiters then retry every
   * `pollMs` and when the holder's row expires.
   * @defaultValue `true`
   */
  readonly notify?: boolean;
  /**
   * Lease mode: the longest a waiter waits between two tries when no NOTIFY comes (a lost
   * notification, `notify: false`). Shorter costs more statements while a key is held.
   * @defaultValue `5000`
   */
  readonly pollMs?: number;
  /** Renewal and drift settings of the lease keeper (`@locksmith/lease`). */
  readonly lease?: LeaseTimingOptions;
  /** Monotonic clock for deadlines. @defaultValue `systemClock` from `@locksmith/core` */
  readonly clock?: Clock;
}

const OPTIONS = ['pool', 'mode', 'prefix', 'migrate', 'notify', 'pollMs', 'lease', 'clock'] as const;
/** `close()` waits at most this long for background clean-ups. */
const CLOSE_TIMEOUT_MS = 2_000;

function validatePool(pool: unknown): Pool {
  const p = pool as Partial<Pool> | null;
  if (
    typeof p !== 'object' ||
    p === null ||
    typeof p.connect !== 'function' ||
    typeof p.query !== 'function'
  ) {
    throw new InvalidArgumentError('options.pool', 'must be a pg.Pool (new Pool({ connectionString }))');
  }
  return p as Pool;
}

function validateMode(mode: unknown): PostgresLockMode {
  if (mode === undefined) return 'session';
  if (mode !== 'session' && mode !== 'lease') {
    throw new InvalidArgumentError(
      'options.mode',
      `must be 'session' or 'lease' (got ${JSON.stringify(mode)})`,
    );
  }
  return mode;
}

/**
 * PostgreSQL locks on the locksmith contract, in one of two modes (see
 * {@link PostgresLocksOptions.mode}). Fencing tokens come from one sequence's `nextval`, taken in
 * the acquire's own statement after the lock is held: strictly increasing per key (and overall).
 * A crash can lose the sequence's last WAL record, so each connection lifts the sequence to the
 * server's clock in µs (`setval`) before its first token: tokens after a restart are above every
 * earlier one (unless the server clock stepped back across it), and are near that clock in value.
 *
 * @example
 * ```ts
 * const locks = postgresLocks({ pool: new Pool({ connectionString }) });
 * await locks.withLock('invoice:42', (lease) => charge(42, { fence: lease.token }));
 * ```
 * @throws InvalidArgumentError on a bad option (before any I/O): a missing or wrong pool, an
 *   unknown mode, a bad prefix, pollMs, clock or lease timing, an unknown option.
 */
export function postgresLocks(options: PostgresLocksOptions): LockClient {
  if (options === undefined) throw new InvalidArgumentError('options', 'is required: pass { pool }');
  const o = validateOptionsObject<PostgresLocksOptions>('options', options, [...OPTIONS]);
  const pool = validatePool(o.pool);
  const mode = validateMode(o.mode);
  const prefix = o.prefix === undefined ? DEFAULT_PREFIX : validatePrefix(o.prefix);
  const migrate = o.migrate === undefined ? true : validateBoolean('options.migrate', o.migrate);
  const notify = o.notify === undefined ? true : validateBoolean('options.notify', o.notify);
  const pollMs =
    o.pollMs === undefined
      ? 5_000
      : validateInteger('options.pollMs', o.pollMs, { min: 1, max: MAX_TIMER_MS });
  const { clock, keeper } = resolveClientTiming(o);
  const names = schemaNames(prefix);
  const schema = new SchemaReady(pool, names, migrate);
  if (mode === 'session') {
    return createLockClient(new SessionProtocol(pool, { prefix, names, schema, clock }), { keeper, clock });
  }
  const protocol = new LeaseProtocol(pool, {
    prefix,
    names,
    schema,
    clock,
    notify,
    pollMs,
    closeTimeoutMs: CLOSE_TIMEOUT_MS,
  });
  return createLockClient(protocol, { keeper, clock });
}
