/**
 * The part of a `zookeeper` (node-zookeeper ≥ 7.3) client that locksmith uses: the callback API
 * (`a_*`, `aw_*`), its connection events and its session state. Declared here rather than taken
 * from the package's typings, so that any client with this shape works (and tests can wrap one).
 * Callbacks take the error text as `unknown`: the addon passes a string, its typings say `number`.
 */
export interface ZooKeeperClient {
  /** The C client's state: 3 connected, 1 connecting, -112 session expired, 0 closed or not started. */
  readonly state: number;
  /** The session timeout the server negotiated, in ms (the requested one before the first connect). */
  readonly timeout: number;
  /** Creates a node with `flags` (ephemeral, sequential, container); `cb` gets the created path. */
  a_create(
    path: string,
    data: string | Buffer,
    flags: number,
    cb: (rc: number, error: unknown, path: string) => void,
  ): number;
  /** Reads a node's stat (`null` when absent), optionally leaving a watch. */
  a_exists(
    path: string,
    watch: boolean,
    cb: (rc: number, error: unknown, stat: ZooKeeperStat | null) => void,
  ): number;
  /** Reads a node's data and leaves `watch` on it (one-shot: it fires on the next change or delete). */
  aw_get(
    path: string,
    watch: (type: number, state: number, path: string) => void,
    cb: (rc: number, error: unknown, stat: ZooKeeperStat | null, data: unknown) => void,
  ): number;
  /** Reads a node's data and stat (no watch when `watch` is false). */
  a_get(
    path: string,
    watch: boolean,
    cb: (rc: number, error: unknown, stat: ZooKeeperStat | null, data: unknown) => void,
  ): number;
  /** Lists a node's children (names only). */
  a_get_children(
    path: string,
    watch: boolean,
    cb: (rc: number, error: unknown, children: string[] | null) => void,
  ): number;
  /** Lists a node's children and leaves a one-shot watch on them. */
  aw_get_children(
    path: string,
    watch: (type: number, state: number, path: string) => void,
    cb: (rc: number, error: unknown, children: string[] | null) => void,
  ): number;
  /** A node's stat (or NONODE), leaving a one-shot watch on it. */
  aw_exists(
    path: string,
    watch: (type: number, state: number, path: string) => void,
    cb: (rc: number, error: unknown, stat: ZooKeeperStat | null) => void,
  ): number;
  /** Deletes a node at `version` (`-1`: any). */
  a_delete_(path: string, version: number, cb: (rc: number, error: unknown) => void): number;
  /** Makes the connected server catch up with the leader for `path`, so the next read is not stale. */
  a_sync(path: string, cb: (rc: number, error: unknown, path: string) => void): number;
  /** Adds a listener for a client event (`connect`, `close`, ...); locksmith watches session loss with it. */
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  /** Removes a listener added with `on`. */
  removeListener(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** The fields of a znode's stat that locksmith reads. */
export interface ZooKeeperStat {
  /** Zxid of the create: a JS number (a zxid is epoch << 32 | counter, far below 2^53). */
  readonly czxid: number;
}

/** ZooKeeper's C API constants used here (zookeeper.h; stable since 3.5). */
export const ZK = {
  CONNECTED_STATE: 3,
  EXPIRED_SESSION_STATE: -112,
  EPHEMERAL_SEQUENTIAL: 3,
  CONTAINER: 4,
  OK: 0,
  CONNECTIONLOSS: -4,
  OPERATIONTIMEOUT: -7,
  INVALIDSTATE: -9,
  NONODE: -101,
  NODEEXISTS: -110,
  SESSIONEXPIRED: -112,
  CLOSING: -116,
  DELETED_EVENT: 2,
  SESSION_EVENT: -1,
} as const;

/** A ZooKeeper call that did not return ZOK: `code` is the C API's return code. */
export class ZooKeeperCallError extends Error {
  constructor(
    readonly code: number,
    what: string,
    detail: string,
  ) {
    super(`${what} failed: ${detail} (ZooKeeper code ${code})`);
    this.name = 'ZooKeeperCallError';
  }
}

/** The error codes of a request that may have run on the server without its reply reaching us. */
export function replyLost(error: unknown): boolean {
  return (
    error instanceof ZooKeeperCallError &&
    (error.code === ZK.CONNECTIONLOSS || error.code === ZK.OPERATIONTIMEOUT)
  );
}

/** Whether `error` is ZooKeeper's `code`. */
export function isCode(error: unknown, code: number): boolean {
  return error instanceof ZooKeeperCallError && error.code === code;
}

/**
 * Runs `deliver` now for a success, or on a fresh turn of the event loop for a failure or a
 * session event (`settledOk` false).
 *
 * Why: when a connection drops, the C client closes its socket and then runs every pending
 * callback (failed calls, session events to each watch) before node-zookeeper stops polling that
 * descriptor, and `client.state` may still read connected meanwhile. Code continuing from such a
 * callback in the same turn (a lost `lease.signal` whose handler opens a new ZooKeeper client,
 * say) gets the same descriptor number for its socket, and node-zookeeper 7.3 then aborts the
 * whole process (`uv_poll_start: Assertion '!uv__is_closing(handle)' failed`, or a segfault).
 * Replies that succeeded come from an open connection: they need no deferral.
 */
export function onSafeTurn(client: ZooKeeperClient, settledOk: boolean, deliver: () => void): void {
  if (settledOk && client.state === ZK.CONNECTED_STATE) deliver();
  else setImmediate(deliver);
}

/** Runs one callback-style call as a promise; a negative synchronous return is a failure too. */
function call<T>(
  what: string,
  start: (cb: (rc: number, error: unknown, value: T) => void) => number,
  client: ZooKeeperClient,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const rc = start((code, error, value) =>
      onSafeTurn(client, code === ZK.OK, () => {
        if (code === ZK.OK) resolve(value);
        else reject(new ZooKeeperCallError(code, what, String(error)));
      }),
    );
    if (typeof rc === 'number' && rc < 0) reject(new ZooKeeperCallError(rc, what, 'refused by the client'));
  });
}

/** Creates `path` with `flags` (and `data`); resolves the created path (with its sequence suffix, if any). */
export function create(client: ZooKeeperClient, path: string, flags: number, data = ''): Promise<string> {
  return call(`create ${path}`, (cb) => client.a_create(path, data, flags, cb), client);
}

/** The data (as UTF-8) and stat of `path`, or `undefined` when it does not exist. Sets no watch. */
export async function getNode(
  client: ZooKeeperClient,
  path: string,
): Promise<{ stat: ZooKeeperStat; data: string } | undefined> {
  try {
    return await call(
      `get ${path}`,
      (cb) =>
        client.a_get(path, false, (rc, error, stat, data) =>
          cb(rc, error, {
            stat: stat as ZooKeeperStat,
            data: Buffer.isBuffer(data) ? data.toString('utf8') : data == null ? '' : String(data),
          }),
        ),
      client,
    );
  } catch (error) {
    if (isCode(error, ZK.NONODE)) return undefined;
    throw error;
  }
}

/**
 * The children of `path` and a promise that settles on their next change (a one-shot watch; also
 * on a session event). When `path` does not exist: no children, and the watch waits for its creation.
 */
export async function watchChildren(
  client: ZooKeeperClient,
  path: string,
): Promise<{ children: string[]; changed: Promise<void> }> {
  let fire: () => void = () => undefined;
  const changed = new Promise<void>((resolve) => {
    fire = resolve;
  });
  try {
    const list = await call<string[] | null>(
      `getChildren ${path}`,
      (cb) => client.aw_get_children(path, (type) => onSafeTurn(client, type !== ZK.SESSION_EVENT, fire), cb),
      client,
    );
    return { children: list ?? [], changed };
  } catch (error) {
    if (!isCode(error, ZK.NONODE)) throw error;
  }
  // No such node: wait for it to appear (an exists watch is set on a missing node too).
  const node = await call<ZooKeeperStat | null>(
    `exists ${path}`,
    (cb) => client.aw_exists(path, (type) => onSafeTurn(client, type !== ZK.SESSION_EVENT, fire), cb),
    client,
  ).catch((error: unknown) => {
    if (isCode(error, ZK.NONODE)) return null;
    throw error;
  });
  if (node !== null) fire(); // created in between: read again at once
  return { children: [], changed };
}

/** The stat of `path`, or `undefined` when it does not exist. Sets no watch. */
export async function stat(client: ZooKeeperClient, path: string): Promise<ZooKeeperStat | undefined> {
  try {
    return (
      (await call<ZooKeeperStat | null>(
        `exists ${path}`,
        (cb) => client.a_exists(path, false, cb),
        client,
      )) ?? undefined
    );
  } catch (error) {
    if (isCode(error, ZK.NONODE)) return undefined;
    throw error;
  }
}

/** The children of `path` (names only); `[]` when `path` does not exist. */
export async function children(client: ZooKeeperClient, path: string): Promise<string[]> {
  try {
    return (
      (await call<string[] | null>(
        `getChildren ${path}`,
        (cb) => client.a_get_children(path, false, cb),
        client,
      )) ?? []
    );
  } catch (error) {
    if (isCode(error, ZK.NONODE)) return [];
    throw error;
  }
}

/** Deletes `path` (any version). Resolves whether it existed. */
export async function remove(client: ZooKeeperClient, path: string): Promise<boolean> {
  try {
    await call<undefined>(
      `delete ${path}`,
      (cb) => client.a_delete_(path, -1, (rc, e) => cb(rc, e, undefined)),
      client,
    );
    return true;
  } catch (error) {
    if (isCode(error, ZK.NONODE)) return false;
    throw error;
  }
}

/** Brings the connected server up to date with the leader for `path` (before a read that must not be stale). */
export function sync(client: ZooKeeperClient, path: string): Promise<unknown> {
  return call(`sync ${path}`, (cb) => client.a_sync(path, cb), client);
}

/**
 * Resolves once `path` changes or goes (a one-shot watch through getData, which leaves no watch
 * behind when the node is already gone, unlike exists), or at once when it is not there:
 * `true` when the node is known to be deleted (the delete event, or no node to watch). Any other
 * outcome (a data change, a session event, an error) resolves `false`: read the queue again.
 */
export function watchGone(client: ZooKeeperClient, path: string): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    try {
      const rc = client.aw_get(
        path,
        (type) => onSafeTurn(client, type !== ZK.SESSION_EVENT, () => resolve(type === ZK.DELETED_EVENT)),
        (code) => {
          if (code !== ZK.OK) onSafeTurn(client, false, () => resolve(code === ZK.NONODE));
        },
      );
      if (typeof rc === 'number' && rc < 0) resolve(false);
    } catch {
      resolve(false);
    }
  });
}
