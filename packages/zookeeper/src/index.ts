/**
 * ZooKeeper locks on the locksmith contract: ephemeral sequential nodes under container parents,
 * predecessor watch, protected creates, strict fencing tokens (czxid).
 *
 * @module @locksmith/zookeeper
 */
export type { ZooKeeperClient, ZooKeeperStat } from './zookeeper-client.ts';
export { DEFAULT_PREFIX, zookeeperElectionPath, zookeeperLockPath } from './zookeeper-keys.ts';
export type { ZooKeeperLocksOptions } from './zookeeper-locks.ts';
export { zookeeperLocks } from './zookeeper-locks.ts';
