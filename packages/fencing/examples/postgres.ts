// A fenced row in PostgreSQL: the fence column travels with the data, checked in the same UPDATE.
import { fenceColumnSql, fencedUpdate } from '@locksmith/fencing';

/** What this example uses of a pg `Client` or `Pool`. */
interface PgLike {
  query(
    text: string,
    values: unknown[],
  ): Promise<{ rowCount: number | null; rows: Record<string, unknown>[] }>;
}

/** `client`: a connected pg Client or Pool. `table`: a table name this example may create and drop. */
export async function main(client: PgLike, table = 'invoices'): Promise<string[]> {
  await client.query(
    `CREATE TABLE ${table} (id INT PRIMARY KEY, status TEXT NOT NULL, ${fenceColumnSql})`,
    [],
  );
  await client.query(`INSERT INTO ${table} (id, status) VALUES (42, 'open')`, []);

  const log: string[] = [];
  const write = async (token: bigint, status: string) => {
    const ok = await fencedUpdate(client, { table, id: 42, token, values: { status } });
    log.push(`token ${token} → ${status}: ${ok ? 'written' : 'rejected (stale)'}`);
  };
  await write(7n, 'sent');
  await write(8n, 'paid'); // a new holder (token 8) took over
  await write(7n, 'cancelled'); // the old holder's late write is refused by the row itself

  const { rows } = await client.query(`SELECT status, fence FROM ${table} WHERE id = 42`, []);
  log.push(`row: ${String(rows[0]?.status)}, fence ${String(rows[0]?.fence)}`);
  await client.query(`DROP TABLE ${table}`, []);
  return log;
}
