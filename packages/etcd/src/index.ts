/**
 * etcd locks on the locksmith contract: one lease per client, a queue by create revision,
 * predecessor watch, strict fencing tokens.
 *
 * @module @locksmith/etcd
 */
export { DEFAULT_PREFIX, etcdElectionPrefix, etcdLockPrefix } from './etcd-keys.ts';
export type { EtcdLocksOptions } from './etcd-locks.ts';
export { etcdLocks } from './etcd-locks.ts';
