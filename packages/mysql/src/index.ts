export { SessionPoolerError } from './mysql-errors.ts';
export type { MysqlLockMode, MysqlLocksOptions } from './mysql-locks.ts';
export { DEFAULT_TABLE, migrateMysqlLocks, mysqlLocks } from './mysql-locks.ts';
export { DEFAULT_PREFIX, MAX_NAME_CHARS, mysqlLockName } from './mysql-names.ts';
