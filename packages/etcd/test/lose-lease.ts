// The etcd kill hook: revoke the session lease that holds a lock's entry, found by the lease's
// fencing token (the entry's create revision). Every lock of that session goes with it.
import type { Leadership, Lease } from '@locksmith/core';
import type { Etcd3 } from 'etcd3';
import { etcdElectionPrefix, etcdLockPrefix } from '../src/index.ts';

export function revokeLeaseOf(client: Etcd3, prefix: string, lease: Lease): Promise<void> {
  return revokeEntryLease(client, etcdLockPrefix(prefix, lease.key), lease.token);
}

/** The same for a leadership: its entry is the candidate whose create revision is the term. */
export function revokeLeadershipOf(client: Etcd3, prefix: string, leadership: Leadership): Promise<void> {
  return revokeEntryLease(client, etcdElectionPrefix(prefix, leadership.name), leadership.term);
}

async function revokeEntryLease(client: Etcd3, range: string, revision: bigint): Promise<void> {
  const entries = await client.getAll().prefix(range).exec();
  const mine = entries.kvs.find((kv) => BigInt(kv.create_revision) === revision);
  if (mine === undefined) throw new Error(`no entry under "${range}" has create revision ${revision}`);
  await client.leaseClient.leaseRevoke({ ID: mine.lease });
}
