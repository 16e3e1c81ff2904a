// The Consul kill hook: an operator's `session/destroy` of the session that holds a lock's key.
// Every lock of that session goes with it (Consul deletes their keys).
import type { Leadership, Lease } from '@locksmith/core';
import type Consul from 'consul';
import { consulElectionKey, consulLockKey } from '../src/index.ts';

/** The session holding `lease`'s key, checked against the lease's fencing token (ModifyIndex). */
export function sessionOf(client: Consul, prefix: string, lease: Lease): Promise<string> {
  return sessionHolding(client, consulLockKey(prefix, lease.key), lease.token);
}

export async function destroySessionOf(client: Consul, prefix: string, lease: Lease): Promise<void> {
  await client.session.destroy(await sessionOf(client, prefix, lease));
}

/** The same for a leadership: the session holding the election's key, checked against the term. */
export async function destroyLeaderSession(
  client: Consul,
  prefix: string,
  leadership: Leadership,
): Promise<void> {
  await client.session.destroy(
    await sessionHolding(client, consulElectionKey(prefix, leadership.name), leadership.term),
  );
}

async function sessionHolding(client: Consul, path: string, token: bigint): Promise<string> {
  const entry = (await client.kv.get(path)) as { Session?: string; ModifyIndex: number } | undefined;
  if (entry?.Session === undefined) throw new Error(`"${path}" is not locked`);
  if (BigInt(entry.ModifyIndex) !== token)
    throw new Error(`"${path}" has ModifyIndex ${entry.ModifyIndex}, the holder's token is ${token}`);
  return entry.Session;
}
