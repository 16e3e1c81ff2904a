export type { ZooKeeperClient } from './zookeeper-client.ts';
export { DEFAULT_PREFIX, zookeeperLockPath } from './zookeeper-keys.ts';
export type { ZooKeeperLocksOptions } from './zookeeper-locks.ts';
export { zookeeperLocks } from './zookeeper-locks.ts';
