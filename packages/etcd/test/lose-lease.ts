// The etcd kill hook: revoke the session lease that holds a lock's entry, found by the lease's
// fencing token (the entry's create revision). Every lock of that session goes with it.
import type { Lease } from '@locksmith/core';
import type { Etcd3 } from 'etcd3';
import { etcdLockPrefix } from '../src/index.ts';

export async function revokeLeaseOf(client: Etcd3, prefix: string, lease: Lease): Promise<void> {
  const entries = await client.getAll().prefix(etcdLockPrefix(prefix, lease.key)).exec();
  const mine = entries.kvs.find((kv) => BigInt(kv.create_revision) === lease.token);
  if (mine === undefined)
    throw new Error(`no queue entry of "${lease.key}" has create revision ${lease.token}`);
  await client.leaseClient.leaseRevoke({ ID: mine.lease });
}
