export { DEFAULT_PREFIX, etcdElectionPrefix, etcdLockPrefix } from './etcd-keys.ts';
export type { EtcdLocksOptions } from './etcd-locks.ts';
export { etcdLocks } from './etcd-locks.ts';
