// The token floor on the shared server (no crash here; server-restart.test.ts crashes a private
// one): a connection lifts the token sequence to the server clock before its first token, never
// moves it back, and lifts that run at once never set it below a token already drawn.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type PostgresLockMode, postgresLocks } from '../src/index.ts';
import { connect, dropSchema, POSTGRES_URL, REQUIRED, skipFor, testPrefix } from './servers.ts';

const skip = await skipFor();
const admin = connect(2);
const prefixes: string[] = [];
afterAll(async () => {
  if (!skip) for (const p of prefixes) await dropSchema(admin, p);
  await admin.end();
});

/** The server's clock in µs. */
async function serverMicros(): Promise<bigint> {
  const { rows } = await admin.query<{ now: string }>(
    'SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS now',
  );
  return BigInt(rows[0]?.now ?? '0');
}

/** One acquire and release on a pool of its own (so on connections that were never lifted). */
async function tokenOnNewPool(prefix: string, mode: PostgresLockMode): Promise<bigint> {
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
  const locks = postgresLocks({ pool, prefix, mode });
  try {
    return await locks.withLock('k', (lease) => lease.token);
  } finally {
    await locks.close();
    await pool.end();
  }
}

describe.skipIf(skip !== undefined && !REQUIRED)(
  `postgres token floor${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it.each(['session', 'lease'] as const)(
      '%s: a new connection draws above the server clock, wherever the sequence was',
      async (mode) => {
        if (skip) throw new Error(skip);
        const prefix = testPrefix(`floor_${mode}`);
        prefixes.push(prefix);
        await tokenOnNewPool(prefix, mode); // creates the sequence
        // As a crash that lost the sequence's last WAL record leaves it: far below its tokens.
        await admin.query(`SELECT setval('${prefix}_token', 1)`);
        const now = await serverMicros();
        const token = await tokenOnNewPool(prefix, mode);
        expect(token > now, `${token} > ${now}`).toBe(true);
      },
    );

    it.each(['session', 'lease'] as const)(
      '%s: a lift never moves the sequence back (a server clock behind it leaves it alone)',
      async (mode) => {
        if (skip) throw new Error(skip);
        const prefix = testPrefix(`ahead_${mode}`);
        prefixes.push(prefix);
        await tokenOnNewPool(prefix, mode);
        const ahead = (await serverMicros()) + 10n ** 12n; // 11 days ahead of the clock
        await admin.query(`SELECT setval('${prefix}_token', $1)`, [ahead.toString()]);
        const token = await tokenOnNewPool(prefix, mode);
        expect(token > ahead, `${token} > ${ahead}`).toBe(true);
      },
    );

    it('session: connections lifting at once never set the sequence below a token drawn; holders see increasing tokens', async () => {
      if (skip) throw new Error(skip);
      const prefix = testPrefix('floor_race');
      prefixes.push(prefix);
      await tokenOnNewPool(prefix, 'session');
      const pools = Array.from({ length: 8 }, () => new pg.Pool({ connectionString: POSTGRES_URL, max: 2 }));
      const clients = pools.map((pool) => postgresLocks({ pool, prefix }));
      try {
        const seen: bigint[] = [];
        await Promise.all(
          clients.flatMap((locks) =>
            [0, 1, 2].map(() =>
              locks.withLock('k', (lease) => void seen.push(lease.token), { waitMs: 30_000 }),
            ),
          ),
        );
        expect(seen).toHaveLength(24);
        for (const [i, token] of seen.entries())
          if (i > 0) expect(token > (seen[i - 1] as bigint), `${token} > ${seen[i - 1]}`).toBe(true);
      } finally {
        await Promise.all(clients.map((c) => c.close()));
        await Promise.all(pools.map((p) => p.end()));
      }
    }, 60_000);
  },
);
