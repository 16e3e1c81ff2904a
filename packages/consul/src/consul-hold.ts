import type { Hold } from '@locksmith/core/protocol';
import type { ConsulSession } from './consul-session.ts';

/** A lock held on Consul: its KV key, locked by one of the client's sessions. */
export interface ConsulHold extends Hold {
  /** The KV key (`<prefix>/<key, URI-encoded>`). */
  readonly path: string;
  /** The value written with the lock (base64): kept when an extend moves it to another session. */
  readonly value: string;
  /** The session that holds the key; an `extend` past its TTL moves the lock to a longer one. */
  session: ConsulSession;
}
