import { createRequire } from 'node:module';
import { connect as tcpConnect } from 'node:net';

/** The part of a `zookeeper` package client the bench adapters call (its callback API). */
export interface BenchZooKeeper {
  readonly state: number;
  readonly timeout: number;
  a_create(
    path: string,
    data: string,
    flags: number,
    cb: (rc: number, error: string, path: string) => void,
  ): number;
  a_exists(path: string, watch: boolean, cb: (rc: number, error: string, stat: unknown) => void): number;
  aw_exists(
    path: string,
    watch: (type: number) => void,
    cb: (rc: number, error: string, stat: unknown) => void,
  ): number;
  aw_get(
    path: string,
    watch: (type: number) => void,
    cb: (rc: number, error: string, stat: unknown, data: unknown) => void,
  ): number;
  a_get_children(
    path: string,
    watch: boolean,
    cb: (rc: number, error: string, children: string[]) => void,
  ): number;
  a_delete_(path: string, version: number, cb: (rc: number, error: string) => void): number;
  a_sync(path: string, cb: (rc: number, error: string, path: string) => void): number;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  removeListener(event: string, listener: (...args: unknown[]) => void): unknown;
  init(config: object): unknown;
  close(): void;
}

/** A `response_counter_limit` that node-zookeeper never reaches. */
const NO_SELF_CLOSE = 1_000_000_000;

/** Session timeout of every bench client: covers the scenarios' 10 s leases. */
export const BENCH_SESSION_MS = 10_000;

/** ZooKeeper's create modes and return codes used by the adapters. */
export const ZK_EPHEMERAL_SEQUENTIAL = 3;
export const ZK_CONTAINER = 4;
export const ZK_NONODE = -101;
export const ZK_NODEEXISTS = -110;

/** `LOCKSMITH_ZOOKEEPER_HOSTS` (comma-separated host:port), the launcher's ports when unset. */
export function zookeeperHosts(): string {
  return process.env.LOCKSMITH_ZOOKEEPER_HOSTS ?? '127.0.0.1:17301,127.0.0.1:17302,127.0.0.1:17303';
}

/** A connected client of the ensemble (one session); fails fast (5 s) when no node answers. */
export async function connectZooKeeper(): Promise<BenchZooKeeper> {
  const ZooKeeper = createRequire(import.meta.url)('zookeeper') as new (config: object) => BenchZooKeeper;
  const client = new ZooKeeper({
    connect: zookeeperHosts(),
    timeout: BENCH_SESSION_MS,
    // node-zookeeper closes its own session, as if expired, after 10 empty reads in a row (its
    // default), which a loaded machine reaches: off, as the package README advises users.
    response_counter_limit: NO_SELF_CLOSE,
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`ZooKeeper at ${zookeeperHosts()} did not answer within 5 s`)),
        5_000,
      );
      client.once('connect', () => resolve());
      client.init({});
    });
  } catch (error) {
    client.close();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return client;
}

/** One callback call as a promise; a non-zero code rejects with an error carrying it. */
export function zk<T>(start: (cb: (rc: number, error: string, value: T) => void) => number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const rc = start((code, error, value) => {
      if (code === 0) resolve(value);
      else reject(Object.assign(new Error(`ZooKeeper ${error} (${code})`), { code }));
    });
    if (rc < 0) reject(Object.assign(new Error(`ZooKeeper call refused (${rc})`), { code: rc }));
  });
}

/** The error code of a failed {@link zk} call. */
export function codeOf(error: unknown): number | undefined {
  return (error as { code?: number } | null)?.code;
}

/**
 * Creates `path` and its parents unless they exist (the recipe's and the floor's lock node), as
 * container nodes, so the bench's per-run lock nodes do not pile up on the ensemble.
 */
export async function ensureNode(client: BenchZooKeeper, path: string): Promise<void> {
  const parts = path.split('/').slice(1);
  for (let i = 1; i <= parts.length; i += 1) {
    try {
      await zk<string>((cb) => client.a_create(`/${parts.slice(0, i).join('/')}`, '', ZK_CONTAINER, cb));
    } catch (error) {
      if (codeOf(error) !== ZK_NODEEXISTS) throw error;
    }
  }
}

/** The ensemble's version from the `srvr` four-letter word of its first node. */
export function zookeeperVersion(): Promise<string> {
  const [host, port] = (zookeeperHosts().split(',')[0] ?? '').split(':');
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: host ?? '127.0.0.1', port: Number(port) });
    let text = '';
    socket.setTimeout(3_000, () => socket.destroy(new Error('srvr got no answer within 3 s')));
    socket.on('connect', () => socket.write('srvr'));
    socket.on('data', (d) => {
      text += d.toString();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(/Zookeeper version: ([^\s,-]+)/.exec(text)?.[1] ?? 'unknown'));
  });
}
