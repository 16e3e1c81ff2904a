import { InvalidArgumentError } from '@locksmith/core';
import mysql from 'mysql2';
import { createPool, type Pool } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateMysqlLocks, mysqlLocks } from '../src/index.ts';

// Pools connect lazily: none of these checks may reach a server (the port is closed).
const pool = createPool({ uri: 'mysql://root@127.0.0.1:1/none', connectionLimit: 1 });
afterAll(() => pool.end());

function rejects(run: () => unknown, argument: string): void {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(InvalidArgumentError.isInstance(error), String(error)).toBe(true);
  expect((error as InvalidArgumentError).message).toContain(argument);
}

describe('mysqlLocks options', () => {
  it('rejects bad options naming the argument, before any I/O', () => {
    rejects(() => mysqlLocks(undefined as never), 'options');
    rejects(() => mysqlLocks({} as never), 'options.pool');
    rejects(() => mysqlLocks({ pool: {} as Pool }), 'options.pool');
    const callbackPool = mysql.createPool({ uri: 'mysql://root@127.0.0.1:1/none' });
    rejects(() => mysqlLocks({ pool: callbackPool as unknown as Pool }), 'options.pool');
    void callbackPool.end(() => undefined);
    rejects(() => mysqlLocks({ pool, mode: 'advisory' as never }), 'options.mode');
    rejects(() => mysqlLocks({ pool, prefix: 'p'.repeat(33) }), 'options.prefix');
    rejects(() => mysqlLocks({ pool, table: 'bad-name' }), 'options.table');
    rejects(() => mysqlLocks({ pool, table: '1abc' }), 'options.table');
    rejects(() => mysqlLocks({ pool, migrate: 'yes' as never }), 'options.migrate');
    rejects(() => mysqlLocks({ pool, ttl: 5 } as never), 'options');
    rejects(() => mysqlLocks({ pool, lease: { renewFraction: 2 } }), 'options.lease');
  });

  it('accepts a promise pool in both modes, and a callback pool’s .promise()', () => {
    expect(mysqlLocks({ pool }).backend).toBe('mysql');
    expect(mysqlLocks({ pool, mode: 'session' }).capabilities).toMatchObject({
      fencing: 'strict',
      wait: 'push',
    });
    expect(mysqlLocks({ pool, mode: 'lease' }).capabilities).toMatchObject({
      fencing: 'strict',
      wait: 'poll',
    });
    const callbackPool = mysql.createPool({ uri: 'mysql://root@127.0.0.1:1/none' });
    expect(mysqlLocks({ pool: callbackPool.promise() }).backend).toBe('mysql');
    void callbackPool.end(() => undefined);
  });

  it('migrateMysqlLocks rejects a bad table name before any I/O', async () => {
    await expect(migrateMysqlLocks(pool, { table: 'x y' })).rejects.toThrow(/options\.table/);
  });
});
