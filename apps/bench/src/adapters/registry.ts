import type { BenchAdapter } from './adapter.ts';
import { advisoryLockAdapter } from './advisory-lock.ts';
import { consulAdapter } from './consul.ts';
import { consulFloorAdapter } from './consul-floor.ts';
import { consulRecipeAdapter } from './consul-recipe.ts';
import { etcdAdapter } from './etcd.ts';
import { etcdFloorAdapter } from './etcd-floor.ts';
import { etcd3LockAdapter } from './etcd3-lock.ts';
import { fileAdapter } from './file.ts';
import { fileFloorAdapter } from './file-floor.ts';
import { memoryAdapter } from './memory.ts';
import { memoryFloorAdapter } from './memory-floor.ts';
import { mysqlLeaseAdapter, mysqlSessionAdapter } from './mysql.ts';
import { mysqlFloorAdapter } from './mysql-floor.ts';
import { nodeRedlockAdapter, nodeRedlockFastAdapter } from './node-redlock.ts';
import { postgresAdapter, postgresLeaseAdapter } from './postgres.ts';
import { postgresFloorAdapter } from './postgres-floor.ts';
import { redisAdapter } from './redis.ts';
import { redisFloorAdapter } from './redis-floor.ts';
import { redisSemaphoreAdapter, redisSemaphoreFastAdapter } from './redis-semaphore.ts';
import { redlockAdapter } from './redlock.ts';
import { redlockFloorAdapter } from './redlock-floor.ts';
import { zookeeperAdapter } from './zookeeper.ts';
import { zookeeperFloorAdapter } from './zookeeper-floor.ts';
import { zookeeperRecipeAdapter } from './zookeeper-recipe.ts';

/**
 * Every mechanism the bench knows, in report order. A new backend adds its adapter file and one
 * line here; the adapters load their client libraries only when opened.
 */
export const ADAPTERS: readonly BenchAdapter[] = [
  memoryAdapter,
  memoryFloorAdapter,
  fileAdapter,
  fileFloorAdapter,
  redisAdapter,
  redisFloorAdapter,
  redlockAdapter,
  redlockFloorAdapter,
  nodeRedlockAdapter,
  nodeRedlockFastAdapter,
  redisSemaphoreAdapter,
  redisSemaphoreFastAdapter,
  etcdAdapter,
  etcdFloorAdapter,
  etcd3LockAdapter,
  consulAdapter,
  consulFloorAdapter,
  consulRecipeAdapter,
  postgresAdapter,
  postgresLeaseAdapter,
  postgresFloorAdapter,
  advisoryLockAdapter,
  mysqlSessionAdapter,
  mysqlLeaseAdapter,
  mysqlFloorAdapter,
  zookeeperAdapter,
  zookeeperFloorAdapter,
  zookeeperRecipeAdapter,
];

/** The adapter called `name`. @throws Error naming the known ones. */
export function adapterNamed(name: string): BenchAdapter {
  const found = ADAPTERS.find((a) => a.name === name);
  if (found === undefined)
    throw new Error(`unknown mechanism ${name} (known: ${ADAPTERS.map((a) => a.name).join(', ')})`);
  return found;
}
