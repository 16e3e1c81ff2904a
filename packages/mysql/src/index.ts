/**
 * MySQL/MariaDB locks on the locksmith contract: GET_LOCK on a kept connection (session mode) or a
 * lease row judged by the server's clock (lease mode), strict fencing tokens.
 *
 * @module @locksmith/mysql
 */
export { SessionPoolerError } from './mysql-errors.ts';
export type { MysqlLockMode, MysqlLocksOptions } from './mysql-locks.ts';
export { DEFAULT_TABLE, migrateMysqlLocks, mysqlLocks } from './mysql-locks.ts';
export { DEFAULT_PREFIX, MAX_NAME_CHARS, mysqlLockName } from './mysql-names.ts';
