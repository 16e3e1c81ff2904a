import type { Hold } from '@locksmith/core/protocol';
import type { EtcdSession } from './etcd-session.ts';

/** A lock held on etcd: a queue entry at the head of its lock's queue. */
export interface EtcdHold extends Hold {
  /** The queue entry: `<lock prefix><client id>-<n>`, unique per acquisition. */
  readonly entry: string;
  /** The session (etcd lease) the entry is attached to; an `extend` past its TTL moves it. */
  session: EtcdSession;
}
