import { InvalidArgumentError } from '@locksmith/core';
import { validateOptionsObject } from '@locksmith/core/protocol';
import { MAX_BIGINT_TOKEN, validateName, validateToken } from './fence-store.ts';

/**
 * The column a fenced table needs, as a column definition for `CREATE TABLE` or
 * `ALTER TABLE … ADD COLUMN`. Rows start at 0, below every real token.
 */
export const fenceColumnSql = 'fence BIGINT NOT NULL DEFAULT 0';

/**
 * The smallest client {@link fencedUpdate} needs: `pg`'s `Client`, `Pool` and `PoolClient` fit it.
 * Another driver fits through a wrapper that runs `text` with PostgreSQL-style `$n` placeholders.
 */
export interface SqlQueryClient {
  /** Runs `text` with `$1`, `$2`, ... bound to `values` (node-postgres's `pool.query`). */
  query(
    text: string,
    values: unknown[],
  ): Promise<{
    /** Rows the UPDATE changed: 1 when the write was accepted, 0 when a newer token had written. */
    rowCount: number | null;
  }>;
}

/** Shape of the statement {@link fencedUpdateSql} builds. */
export interface FencedUpdateSqlOptions {
  /** Table name, optionally schema-qualified (`billing.invoices`). */
  readonly table: string;
  /** Columns the statement sets, in the order of the `$1…$n` values. */
  readonly columns: readonly string[];
  /** Column that identifies the row. @defaultValue `'id'` */
  readonly idColumn?: string;
  /** The fence column (see {@link fenceColumnSql}). @defaultValue `'fence'` */
  readonly fenceColumn?: string;
}

/** Options of {@link fencedUpdate}. */
export interface FencedUpdateOptions {
  /** Table name, optionally schema-qualified. */
  readonly table: string;
  /** Value of `idColumn` of the row to update. The row must exist (insert it with fence 0). */
  readonly id: unknown;
  /** The writer's fencing token (`lease.token`), in [0, 2^63 − 1]. */
  readonly token: bigint;
  /** Column → new value; at least one. */
  readonly values: Readonly<Record<string, unknown>>;
  /** @defaultValue `'id'` */
  readonly idColumn?: string;
  /** @defaultValue `'fence'` */
  readonly fenceColumn?: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;

// Only plain identifiers are accepted, then quoted: the names go into SQL text, so anything else
// (spaces, quotes, semicolons) is refused rather than escaped.
function identifier(argument: string, value: unknown, qualified = false): string {
  const name = validateName(argument, value);
  const parts = qualified ? name.split('.') : [name];
  if (parts.length > 2 || !parts.every((part) => IDENTIFIER.test(part) && part.length <= 63)) {
    throw new InvalidArgumentError(
      argument,
      `must be a plain SQL identifier${qualified ? ' (optionally schema.table)' : ''} of letters, digits, _ and $ (got ${JSON.stringify(name)})`,
    );
  }
  return parts.map((part) => `"${part}"`).join('.');
}

/**
 * The fenced update statement: the row changes only when the writer's token is at least the row's
 * fence, and the fence moves up to the token in the same statement, so the check and the write are
 * one atomic step (PostgreSQL re-checks the `WHERE` clause on the latest row version when two
 * writers race).
 *
 * `UPDATE "t" SET "a" = $1, "b" = $2, "fence" = $3 WHERE "id" = $4 AND "fence" <= $3`: values are
 * the columns' values in order, then the token (as a decimal string), then the id.
 *
 * @throws InvalidArgumentError naming the option, e.g. `options.table`.
 */
export function fencedUpdateSql(options: FencedUpdateSqlOptions): string {
  if (options === undefined) throw new InvalidArgumentError('options', 'is required ({ table, columns })');
  const o = validateOptionsObject<FencedUpdateSqlOptions>('options', options, [
    'table',
    'columns',
    'idColumn',
    'fenceColumn',
  ]);
  if (!Array.isArray(o.columns) || o.columns.length === 0) {
    throw new InvalidArgumentError('options.columns', 'must be a non-empty array of column names');
  }
  return updateText(o, o.columns, (i) => `options.columns[${i}]`);
}

/** Builds the statement; `columnArgument(i)` names the i-th column in errors. */
function updateText(
  o: Partial<FencedUpdateSqlOptions>,
  names: readonly unknown[],
  columnArgument: (i: number) => string,
): string {
  const table = identifier('options.table', o.table, true);
  const idColumn = identifier('options.idColumn', o.idColumn === undefined ? 'id' : o.idColumn);
  const fenceColumn = identifier(
    'options.fenceColumn',
    o.fenceColumn === undefined ? 'fence' : o.fenceColumn,
  );
  const columns = names.map((name, i) => identifier(columnArgument(i), name));
  columns.forEach((column, i) => {
    if (column === fenceColumn || column === idColumn || columns.indexOf(column) !== i) {
      throw new InvalidArgumentError(
        columnArgument(i),
        `must not repeat a column or be the id or fence column (got ${column})`,
      );
    }
  });
  const token = `$${columns.length + 1}`;
  const sets = [...columns.map((column, i) => `${column} = $${i + 1}`), `${fenceColumn} = ${token}`];
  return `UPDATE ${table} SET ${sets.join(', ')} WHERE ${idColumn} = $${columns.length + 2} AND ${fenceColumn} <= ${token}`;
}

/**
 * Writes `values` to one row if, and only if, `token` is not stale for it (see
 * {@link fencedUpdateSql}). Sends one statement; no transaction is needed.
 *
 * @example
 * ```ts
 * const ok = await fencedUpdate(pool, { table: 'invoices', id: 42, token: lease.token, values: { status: 'paid' } });
 * if (!ok) throw new Error('a newer lock holder already wrote this invoice');
 * ```
 * @returns `true` when the row was written; `false` when the token was stale or no row has that id.
 * @throws InvalidArgumentError (as a rejection, before any query) naming the bad argument; the
 * client's own error, unchanged, when the query fails.
 */
export async function fencedUpdate(client: SqlQueryClient, options: FencedUpdateOptions): Promise<boolean> {
  if (typeof client !== 'object' || client === null || typeof client.query !== 'function') {
    throw new InvalidArgumentError('client', 'must have a query(text, values) method (a pg Client or Pool)');
  }
  if (options === undefined)
    throw new InvalidArgumentError('options', 'is required ({ table, id, token, values })');
  const o = validateOptionsObject<FencedUpdateOptions>('options', options, [
    'table',
    'id',
    'token',
    'values',
    'idColumn',
    'fenceColumn',
  ]);
  const token = validateToken('options.token', o.token, MAX_BIGINT_TOKEN);
  if (o.id === undefined || o.id === null)
    throw new InvalidArgumentError('options.id', `must be given (got ${String(o.id)})`);
  const values = o.values;
  if (
    typeof values !== 'object' ||
    values === null ||
    Array.isArray(values) ||
    Object.keys(values).length === 0
  ) {
    throw new InvalidArgumentError('options.values', 'must be an object with at least one column');
  }
  const columns = Object.keys(values);
  const text = updateText(o, columns, (i) => `options.values.${columns[i]}`);
  // The token travels as a decimal string: exact for every BIGINT, whatever the driver does with bigint.
  const result = await client.query(text, [
    ...columns.map((column) => values[column]),
    token.toString(),
    o.id,
  ]);
  return (result.rowCount ?? 0) > 0;
}
