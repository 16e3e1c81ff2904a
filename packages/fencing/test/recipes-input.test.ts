// The recipes' pure parts: statement text and bad input, checked without a server.
import { argumentOf, rejectionArgument } from '@locksmith/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fencedRedisSet,
  fencedUpdate,
  fencedUpdateSql,
  type RedisEvalClient,
  type SqlQueryClient,
} from '../src/index.ts';

/** Counts calls: bad input must be refused before any query or command. */
let calls = 0;
const sql: SqlQueryClient = {
  query: async () => {
    calls += 1;
    return { rowCount: 1 };
  },
};
const redis: RedisEvalClient = {
  eval: async () => {
    calls += 1;
    return 1;
  },
};

const notIdentifier = fc.oneof(
  fc.constant(''),
  fc.constant('1abc'),
  fc.constant('a b'),
  fc.constant('x"; DROP TABLE y; --'),
  fc.constant('a'.repeat(64)),
  fc.string().filter((s) => !/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/.test(s)),
  fc.anything().filter((v) => typeof v !== 'string' && v !== undefined),
);

describe('fencedUpdateSql', () => {
  it('sets the columns and the fence, guarded by fence <= token', () => {
    expect(fencedUpdateSql({ table: 'invoices', columns: ['status', 'total'] })).toBe(
      'UPDATE "invoices" SET "status" = $1, "total" = $2, "fence" = $3 WHERE "id" = $4 AND "fence" <= $3',
    );
    expect(
      fencedUpdateSql({ table: 'billing.invoices', columns: ['v'], idColumn: 'key', fenceColumn: 'epoch' }),
    ).toBe('UPDATE "billing"."invoices" SET "v" = $1, "epoch" = $2 WHERE "key" = $3 AND "epoch" <= $2');
  });

  it('property: refuses anything but plain identifiers, naming the option', () => {
    fc.assert(
      fc.property(
        notIdentifier,
        fc.constantFrom('table', 'idColumn', 'fenceColumn', 'column'),
        (name, where) => {
          const options =
            where === 'column'
              ? { table: 't', columns: ['ok', name] }
              : { table: 't', columns: ['ok'], [where]: name };
          const expected = where === 'column' ? 'options.columns[1]' : `options.${where}`;
          if (
            where === 'table' &&
            typeof name === 'string' &&
            /^[A-Za-z_][A-Za-z0-9_$]{0,62}\.[A-Za-z_][A-Za-z0-9_$]{0,62}$/.test(name)
          )
            return;
          expect(argumentOf(() => fencedUpdateSql(options as never))).toBe(expected);
        },
      ),
    );
  });

  it('refuses empty, repeated, id or fence columns, and unknown options', () => {
    expect(argumentOf(() => fencedUpdateSql({ table: 't', columns: [] }))).toBe('options.columns');
    expect(argumentOf(() => fencedUpdateSql({ table: 't', columns: ['a', 'a'] }))).toBe('options.columns[1]');
    expect(argumentOf(() => fencedUpdateSql({ table: 't', columns: ['fence'] }))).toBe('options.columns[0]');
    expect(argumentOf(() => fencedUpdateSql({ table: 't', columns: ['id'] }))).toBe('options.columns[0]');
    expect(argumentOf(() => fencedUpdateSql({ table: 'a.b.c', columns: ['v'] }))).toBe('options.table');
    expect(argumentOf(() => fencedUpdateSql({ table: 't', columns: ['v'], where: 'x' } as never))).toBe(
      'options.where',
    );
    expect(argumentOf(() => fencedUpdateSql(undefined as never))).toBe('options');
  });
});

describe('fencedUpdate bad input', () => {
  const valid = { table: 't', id: 1, token: 1n, values: { v: 1 } };

  it('property: rejects before any query, naming the argument', async () => {
    const cases = fc.oneof(
      fc.tuple(
        fc.constant('options.token'),
        fc.oneof(
          fc.bigInt({ max: -1n }),
          fc.bigInt({ min: 2n ** 63n }),
          fc.anything().filter((v) => typeof v !== 'bigint'),
        ),
      ),
      fc.tuple(fc.constant('options.id'), fc.constantFrom(undefined, null)),
      fc.tuple(
        fc.constant('options.values'),
        fc.oneof(
          fc.constant({}),
          fc.constant([1]),
          fc.anything().filter((v) => typeof v !== 'object' || v === null),
        ),
      ),
      fc.tuple(
        fc.constant('options.table'),
        notIdentifier.filter((v) => typeof v !== 'string' || !v.includes('.')),
      ),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ([argument, value]) => {
        const name = argument.slice('options.'.length);
        expect(await rejectionArgument(() => fencedUpdate(sql, { ...valid, [name]: value } as never))).toBe(
          argument,
        );
      }),
    );
    expect(await rejectionArgument(() => fencedUpdate(sql, { ...valid, values: { 'a b': 1 } }))).toBe(
      'options.values.a b',
    );
    expect(await rejectionArgument(() => fencedUpdate(sql, { ...valid, values: { fence: 1 } }))).toBe(
      'options.values.fence',
    );
    expect(await rejectionArgument(() => fencedUpdate(sql, { ...valid, extra: 1 } as never))).toBe(
      'options.extra',
    );
    expect(await rejectionArgument(() => fencedUpdate({} as never, valid))).toBe('client');
    expect(await rejectionArgument(() => fencedUpdate(sql, undefined as never))).toBe('options');
    expect(calls).toBe(0);
  });
});

describe('fencedRedisSet bad input', () => {
  const valid = { valueKey: 'v', fenceKey: 'f', token: 1n, value: 'x' };

  it('property: rejects before any command, naming the argument', async () => {
    const notName = fc.oneof(
      fc.constant(''),
      fc.anything().filter((v) => typeof v !== 'string'),
    );
    const cases = fc.oneof(
      fc.tuple(fc.constant('options.valueKey'), notName),
      fc.tuple(fc.constant('options.fenceKey'), fc.oneof(notName, fc.constant('v'))),
      fc.tuple(
        fc.constant('options.token'),
        fc.oneof(
          fc.bigInt({ max: -1n }),
          fc.anything().filter((v) => typeof v !== 'bigint'),
        ),
      ),
      fc.tuple(
        fc.constant('options.value'),
        fc.anything().filter((v) => typeof v !== 'string'),
      ),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ([argument, value]) => {
        const name = argument.slice('options.'.length);
        expect(
          await rejectionArgument(() => fencedRedisSet(redis, { ...valid, [name]: value } as never)),
        ).toBe(argument);
      }),
    );
    expect(await rejectionArgument(() => fencedRedisSet({ eval: 1 } as never, valid))).toBe('client');
    expect(await rejectionArgument(() => fencedRedisSet(redis, { ...valid, ttlMs: 5 } as never))).toBe(
      'options.ttlMs',
    );
    expect(calls).toBe(0);
  });

  it('sends the script with both keys, the token as a decimal string, and the value', async () => {
    const calls: unknown[][] = [];
    const client: RedisEvalClient = {
      eval: async (...args) => {
        calls.push(args);
        return 0;
      },
    };
    expect(await fencedRedisSet(client, { ...valid, token: 2n ** 64n })).toBe(false);
    expect(calls[0]?.slice(1)).toEqual([2, 'v', 'f', '18446744073709551616', 'x']);
  });
});
