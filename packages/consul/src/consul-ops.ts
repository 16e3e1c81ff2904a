// The transactions of the lock, one function each, in Consul's `PUT /v1/txn` format.
import type { TxnOp } from './consul-client.ts';

/** Take: lock `path` for `session` (refused while another session holds it) and read it back. */
export function lockOps(path: string, value: string, session: string): TxnOp[] {
  return [
    { KV: { Verb: 'lock', Key: path, Value: value, Session: session } },
    // The entry as this write left it: its ModifyIndex (a raft index) is the fencing token.
    { KV: { Verb: 'get', Key: path } },
  ];
}

/**
 * Release: delete `path` only while `session` holds it. Deleting (rather than `?release=`, which
 * leaves the key behind, unlocked) keeps nothing a lock wrote on the server after it ends.
 */
export function releaseOps(path: string, session: string): TxnOp[] {
  return [
    { KV: { Verb: 'check-session', Key: path, Session: session } },
    { KV: { Verb: 'delete', Key: path } },
  ];
}

/** Move a held lock from session `from` to session `to` (an extend past `from`'s TTL), atomically. */
export function moveOps(path: string, value: string, from: string, to: string): TxnOp[] {
  return [
    { KV: { Verb: 'check-session', Key: path, Session: from } },
    { KV: { Verb: 'unlock', Key: path, Session: from } },
    { KV: { Verb: 'lock', Key: path, Value: value, Session: to } },
  ];
}

/** Why Consul rolled back a lock transaction. */
export type TakeRefusal = 'held' | 'lock-delay' | 'session';

/** Reads Consul's transaction errors: another holder, a lock-delay, or our session is gone. */
export function takeRefusal(errors: readonly string[]): TakeRefusal {
  const text = errors.join('; ');
  if (/invalid session|missing session|session .*not found/i.test(text)) return 'session';
  if (/lock.?delay/i.test(text)) return 'lock-delay';
  return 'held';
}
