/**
 * Fencing-token guards for the resource side: reject writes from stale lock holders.
 *
 * @module @locksmith/fencing
 */
export type { FenceStore } from './fence-store.ts';
export type { MemoryFence } from './memory-fence.ts';
export { memoryFence } from './memory-fence.ts';
export type { FencedRedisSetOptions, RedisEvalClient } from './redis-fenced-set.ts';
export { fencedRedisSet, fencedSetScript } from './redis-fenced-set.ts';
export type { FencedUpdateOptions, FencedUpdateSqlOptions, SqlQueryClient } from './sql-fenced-update.ts';
export { fenceColumnSql, fencedUpdate, fencedUpdateSql } from './sql-fenced-update.ts';
