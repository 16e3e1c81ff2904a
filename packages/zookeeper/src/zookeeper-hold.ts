import type { Hold } from '@locksmith/core/protocol';

/** A lock held on ZooKeeper: an ephemeral sequential node at the head of its lock's queue. */
export interface ZooKeeperHold extends Hold {
  /** The full path of the node (`<lock path>/_c_<tag>-lock-<sequence>`). */
  readonly path: string;
  /** The lock node's path. */
  readonly lockPath: string;
  /** My node's sequence number (the next one of this client on this lock is likely one more). */
  readonly sequence: number;
  /** Granted with nobody else in the queue: the next sequence number is worth predicting. */
  readonly alone: boolean;
}
