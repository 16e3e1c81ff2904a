// The Consul kill hook: an operator's `session/destroy` of the session that holds a lock's key.
// Every lock of that session goes with it (Consul deletes their keys).
import type { Lease } from '@locksmith/core';
import type Consul from 'consul';
import { consulLockKey } from '../src/index.ts';

/** The session holding `lease`'s key, checked against the lease's fencing token (ModifyIndex). */
export async function sessionOf(client: Consul, prefix: string, lease: Lease): Promise<string> {
  const entry = (await client.kv.get(consulLockKey(prefix, lease.key))) as
    | { Session?: string; ModifyIndex: number }
    | undefined;
  if (entry?.Session === undefined) throw new Error(`"${lease.key}" is not locked`);
  if (BigInt(entry.ModifyIndex) !== lease.token)
    throw new Error(
      `"${lease.key}" has ModifyIndex ${entry.ModifyIndex}, the lease's token is ${lease.token}`,
    );
  return entry.Session;
}

export async function destroySessionOf(client: Consul, prefix: string, lease: Lease): Promise<void> {
  await client.session.destroy(await sessionOf(client, prefix, lease));
}
