// Where the tests find ZooKeeper: the backends launcher's 3-node ensemble, started by
// test/global-setup.ts (LOCKSMITH_ZOOKEEPER_HOSTS, as `pnpm backends env` prints it; the launcher's
// ports when unset). An unreachable ensemble makes the suites skip with the reason, or fail when
// LOCKSMITH_REQUIRE_BACKENDS=1 (CI).
import { createRequire } from 'node:module';
import { skipReason } from '@locksmith/backends';
import type { ZooKeeperClient } from '../src/index.ts';

/** The `zookeeper` package's client, as the tests use it (its own typings are not module-shaped). */
export interface TestZooKeeper extends ZooKeeperClient {
  readonly client_id: string;
  readonly client_password: string;
  init(config: object): this;
  close(): void;
  once(event: string, listener: (...args: unknown[]) => void): unknown;
}

type ZooKeeperConstructor = new (config: {
  connect: string;
  timeout: number;
  response_counter_limit?: number;
  client_id?: string;
  client_password?: string;
}) => TestZooKeeper;

/** The `zookeeper` package's promise client class (CommonJS). */
export const ZooKeeper = createRequire(import.meta.url)('zookeeper') as ZooKeeperConstructor;

/** Every node's client address, comma-joined, as the `zookeeper` client takes them. */
export const ZOOKEEPER_HOSTS =
  process.env.LOCKSMITH_ZOOKEEPER_HOSTS ?? [1, 2, 3].map((i) => `127.0.0.1:${17300 + i}`).join(',');

/**
 * node-zookeeper closes its own session, as if expired, after 10 empty reads in a row (its
 * `response_counter_limit`), which a loaded machine reaches: the README tells users to raise it.
 */
export const NO_SELF_CLOSE = 1_000_000_000;

/** Whether the backends are required (CI): a skip then becomes a failure. */
export const REQUIRED = process.env.LOCKSMITH_REQUIRE_BACKENDS === '1';

/** A session timeout that honours every lease the conformance suite asks for (up to 60 s). */
export const DEFAULT_SESSION_MS = 60_000;

/**
 * A connected client of the ensemble. `timeout` is the session timeout asked for (the launcher's
 * ensemble grants 2–60 s).
 * @throws Error when no connection came within 5 s (the client is closed then).
 */
export async function connect(
  options: {
    hosts?: string;
    timeout?: number;
    client_id?: string;
    client_password?: string;
    /** Open the socket in the caller's turn (only the safe-turn test wants that). */
    sameTurn?: boolean;
  } = {},
): Promise<TestZooKeeper> {
  // A fresh turn first: a test continuing from another client's callback must not open a socket in
  // it (see onSafeTurn in src/zookeeper-client.ts: node-zookeeper would abort the process).
  if (options.sameTurn !== true) await new Promise((resolve) => setImmediate(resolve));
  const client = new ZooKeeper({
    connect: options.hosts ?? ZOOKEEPER_HOSTS,
    timeout: options.timeout ?? DEFAULT_SESSION_MS,
    response_counter_limit: NO_SELF_CLOSE,
    ...(options.client_id === undefined ? {} : { client_id: options.client_id }),
    ...(options.client_password === undefined ? {} : { client_password: options.client_password }),
  });
  const connected = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no connection within 5 s')), 5_000);
    timer.unref();
    client.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  client.init({});
  try {
    await connected;
  } catch (error) {
    client.close();
    throw error;
  }
  return client;
}

/**
 * Ends `client`'s session on the server, as an expiry does: a second connection with the same
 * session id and password is opened and closed (the server then closes the session and deletes
 * its ephemeral nodes; the first client sees SESSION_EXPIRED).
 */
export async function expireSession(client: TestZooKeeper): Promise<void> {
  const twin = await connect({ client_id: client.client_id, client_password: client.client_password });
  twin.close();
}

/** Why the ZooKeeper tests must skip (the launcher's reason, or a failed connect), or `undefined`. */
export async function skipFor(): Promise<string | undefined> {
  if (process.env.LOCKSMITH_ZOOKEEPER_SKIP_REASON !== undefined) return skipReason('zookeeper');
  try {
    (await connect({ timeout: 4_000 })).close();
    return undefined;
  } catch (error) {
    return `ZooKeeper at ${ZOOKEEPER_HOSTS} is unreachable (${error instanceof Error ? error.message : String(error)}); start it with \`pnpm backends up zookeeper\``;
  }
}

/** A unique path prefix per test file run, so runs on a shared ensemble never meet. */
export function testPrefix(name: string): string {
  return `/locksmith-test-${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}
