/**
 * PostgreSQL locks on the locksmith contract: session advisory locks (server FIFO queue) or lease
 * rows judged by the server clock, strict fencing tokens from a sequence.
 *
 * @module @locksmith/postgres
 */
export { SessionPoolerError } from './postgres-errors.ts';
export { advisoryKey, DEFAULT_PREFIX } from './postgres-keys.ts';
export type { PostgresLockMode, PostgresLocksOptions } from './postgres-locks.ts';
export { postgresLocks } from './postgres-locks.ts';
export type { MigrateOptions } from './postgres-schema.ts';
export { migratePostgresLocks } from './postgres-schema.ts';
