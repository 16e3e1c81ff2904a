// The SQL recipe against a real PostgreSQL: the guarantee lives in the server's UPDATE, so only a
// real server shows it.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../examples/postgres.ts';
import { fenceColumnSql, fencedUpdate } from '../src/index.ts';
import {
  address,
  POSTGRES_URL,
  REQUIRE_BACKENDS,
  reachable,
  shuffledTokens,
  uniqueName,
} from './backends.ts';

const where = address(POSTGRES_URL, 5432);
const up = await reachable(POSTGRES_URL, 5432);

// Unreachable: the suite is skipped with the reason in its title, or, with
// LOCKSMITH_REQUIRE_BACKENDS=1 (CI), a failing test says which server is missing.
if (REQUIRE_BACKENDS && !up) {
  it(`PostgreSQL answers at ${where} (LOCKSMITH_REQUIRE_BACKENDS=1)`, () => {
    expect.fail(`no PostgreSQL at ${where}: start it (pnpm backends up) or set LOCKSMITH_POSTGRES_URL`);
  });
}

describe.skipIf(!up)(
  `fencedUpdate on PostgreSQL${up ? '' : ` (skipped: no PostgreSQL at ${where}; set LOCKSMITH_POSTGRES_URL)`}`,
  () => {
    const table = uniqueName('locksmith_fence');
    let pool: pg.Pool;

    const row = async (id: number) =>
      (await pool.query(`SELECT status, fence::text AS fence FROM ${table} WHERE id = $1`, [id])).rows[0] as
        | { status: string; fence: string }
        | undefined;
    const insert = (id: number) => pool.query(`INSERT INTO ${table} (id, status) VALUES ($1, 'new')`, [id]);

    beforeAll(async () => {
      pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 8 });
      await pool.query(`CREATE TABLE ${table} (id INT PRIMARY KEY, status TEXT NOT NULL, ${fenceColumnSql})`);
    });
    afterAll(async () => {
      await pool?.query(`DROP TABLE IF EXISTS ${table}`);
      await pool?.end();
    });

    it('writes with a higher or equal token and refuses a stale one, leaving the row as it was', async () => {
      await insert(1);
      expect(await fencedUpdate(pool, { table, id: 1, token: 0n, values: { status: 'zero' } })).toBe(true);
      expect(await fencedUpdate(pool, { table, id: 1, token: 5n, values: { status: 'five' } })).toBe(true);
      expect(await fencedUpdate(pool, { table, id: 1, token: 5n, values: { status: 'five again' } })).toBe(
        true,
      );
      expect(await fencedUpdate(pool, { table, id: 1, token: 4n, values: { status: 'stale' } })).toBe(false);
      expect(await row(1)).toEqual({ status: 'five again', fence: '5' });
    });

    it('returns false for a row that does not exist', async () => {
      expect(await fencedUpdate(pool, { table, id: 404, token: 1n, values: { status: 'x' } })).toBe(false);
    });

    it('is exact up to the largest BIGINT', async () => {
      await insert(2);
      const max = 2n ** 63n - 1n;
      expect(await fencedUpdate(pool, { table, id: 2, token: max, values: { status: 'max' } })).toBe(true);
      expect(await fencedUpdate(pool, { table, id: 2, token: max - 1n, values: { status: 'stale' } })).toBe(
        false,
      );
      expect(await row(2)).toEqual({ status: 'max', fence: max.toString() });
    });

    it('with concurrent writers, the highest token always lands and is the final state', async () => {
      await insert(3);
      const tokens = shuffledTokens(40);
      const results = await Promise.all(
        tokens.map((token) => fencedUpdate(pool, { table, id: 3, token, values: { status: `w${token}` } })),
      );
      expect(results[tokens.indexOf(40n)]).toBe(true);
      expect(await row(3)).toEqual({ status: 'w40', fence: '40' });
    });

    it('works with a schema-qualified table and custom id and fence columns', async () => {
      const other = uniqueName('locksmith_fence_custom');
      await pool.query(
        `CREATE TABLE public.${other} (key TEXT PRIMARY KEY, v INT, epoch BIGINT NOT NULL DEFAULT 0)`,
      );
      try {
        await pool.query(`INSERT INTO ${other} (key, v) VALUES ('k', 0)`);
        const write = (token: bigint, v: number) =>
          fencedUpdate(pool, {
            table: `public.${other}`,
            id: 'k',
            token,
            values: { v },
            idColumn: 'key',
            fenceColumn: 'epoch',
          });
        expect(await write(2n, 2)).toBe(true);
        expect(await write(1n, 1)).toBe(false);
        expect((await pool.query(`SELECT v FROM ${other}`)).rows).toEqual([{ v: 2 }]);
      } finally {
        await pool.query(`DROP TABLE ${other}`);
      }
    });

    it('the README example runs', async () => {
      expect(await main(pool, uniqueName('locksmith_invoices'))).toEqual([
        'token 7 → sent: written',
        'token 8 → paid: written',
        'token 7 → cancelled: rejected (stale)',
        'row: paid, fence 8',
      ]);
    });
  },
);
