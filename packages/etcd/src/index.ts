export { DEFAULT_PREFIX, etcdLockPrefix } from './etcd-keys.ts';
export type { EtcdLocksOptions } from './etcd-locks.ts';
export { etcdLocks } from './etcd-locks.ts';
