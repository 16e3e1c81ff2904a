// The transaction-pooler trap. A Pool-like object stands in for PgBouncer in transaction mode: its
// "connection" sends each statement to one of two real server sessions, as such a pooler does.
// Session mode must refuse it with SessionPoolerError (naming the fix, mode: 'lease'); lease mode
// works through it.
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresLocks, SessionPoolerError } from '../src/index.ts';
import { holderPid } from './lose-lease.ts';
import { connect, dropSchema, POSTGRES_URL, REQUIRED, skipFor, testPrefix } from './servers.ts';

const prefix = testPrefix('pooler');
const skip = await skipFor();
const admin = connect(4);
const sessions = [new pg.Client(POSTGRES_URL), new pg.Client(POSTGRES_URL)] as const;

/** A checked-out "connection" whose statements land on the server sessions in `order`, then rotate. */
class PoolerConnection extends EventEmitter {
  #n = 0;
  constructor(private readonly order: readonly number[] = []) {
    super();
  }
  query(...args: unknown[]): unknown {
    const i = this.order[this.#n] ?? this.#n % 2;
    this.#n += 1;
    return (sessions[i as 0 | 1].query as (...a: unknown[]) => unknown)(...args);
  }
  release(): void {}
}

/** A Pool-like object in front of the two sessions; `order` shapes each new connection. */
function poolerPool(order?: readonly number[]): pg.Pool {
  return {
    connect: async () => new PoolerConnection(order),
    query: (...args: unknown[]) => (sessions[0].query as (...a: unknown[]) => unknown)(...args),
  } as unknown as pg.Pool;
}

beforeAll(async () => {
  if (!skip) await Promise.all(sessions.map((s) => s.connect()));
});
afterAll(async () => {
  if (!skip) await dropSchema(admin, prefix);
  await Promise.all([...sessions.map((s) => s.end().catch(() => undefined)), admin.end()]);
});

describe.skipIf(skip !== undefined && !REQUIRED)(
  `postgres behind a transaction-mode pooler${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it('session mode refuses before taking any lock, naming the problem and the fix', async () => {
      if (skip) throw new Error(skip);
      const locks = postgresLocks({ pool: poolerPool(), prefix });
      const acquired = locks.acquire('trap', { waitMs: 1_000 });
      await expect(acquired).rejects.toBeInstanceOf(SessionPoolerError);
      const error = (await acquired.catch((e: unknown) => e)) as Error;
      expect(error.message).toMatch(/transaction-mode pooler/);
      expect(error.message).toMatch(/mode: 'lease'/);
      await expect(locks.tryAcquire('trap')).rejects.toBeInstanceOf(SessionPoolerError);
      expect(await holderPid(admin, prefix, 'trap'), 'no advisory lock was taken').toBeUndefined();
      await locks.close();
    });

    it('a pooler that switches sessions after the first check is caught by the lock statement itself', async () => {
      if (skip) throw new Error(skip);
      // The check's two statements land on session 0, the lock statement on session 1.
      const locks = postgresLocks({ pool: poolerPool([0, 0, 1]), prefix });
      await expect(locks.acquire('switch', { waitMs: 1_000 })).rejects.toBeInstanceOf(SessionPoolerError);
      // What a real pooler leaks: the lock stays with the session the statement happened to reach.
      const pid = (await sessions[1].query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
      expect(await holderPid(admin, prefix, 'switch')).toBe(pid);
      await sessions[1].query('SELECT pg_advisory_unlock_all()');
      await locks.close();
    });

    it('lease mode works through the same pooler', async () => {
      if (skip) throw new Error(skip);
      const pool = poolerPool();
      const a = postgresLocks({ pool, prefix, mode: 'lease', notify: false });
      const b = postgresLocks({ pool, prefix, mode: 'lease', notify: false });
      const lease = await a.acquire('lease-ok');
      expect(await b.tryAcquire('lease-ok')).toBeUndefined();
      await lease.extend();
      await lease.release();
      const next = await b.tryAcquire('lease-ok');
      expect(next?.token).toBeGreaterThan(lease.token);
      await next?.release();
      await Promise.all([a.close(), b.close()]);
    });
  },
);
