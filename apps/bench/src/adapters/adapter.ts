/**
 * A server the launcher (`@locksmith/backends`) provides. An adapter lists the ones it needs; the
 * runner skips the adapter, saying why and how to get the server, when one cannot be reached.
 */
export type Requirement = 'redis' | 'redlock' | 'etcd' | 'zookeeper' | 'consul' | 'postgres' | 'mysql';

/** Where the servers are and where file locks live; the same in every worker process of a run. */
export interface BenchEnv {
  /** `LOCKSMITH_REDIS_URL`: the single Redis instance. */
  readonly redisUrl?: string;
  /** `LOCKSMITH_REDLOCK_URLS`: the independent Redis instances for Redlock. */
  readonly redlockUrls?: readonly string[];
  /** A directory of this run for file locks (shared by the worker processes). */
  readonly fileDir: string;
  /** Prefix of every key of this run, so runs never see each other's keys. */
  readonly keyPrefix: string;
}

/** Options of one acquisition. */
export interface AcquireParams {
  readonly ttlMs: number;
  /** `false`: try once. `true`: wait until held (retrying past a library's own give-up point). */
  readonly wait: boolean;
  /**
   * `true`: keep the lease alive past its TTL as a user of this library would (locksmith and
   * redis-semaphore renew; node-redlock gets a timer per lock, its documented way; floors renew
   * every hold in one batch). `false`: no renewal, for every row alike (locksmith's `autoRenew`
   * and redis-semaphore's refresh timer are turned off).
   */
  readonly keepAlive: boolean;
  /** Stops a wait (the run is over). The acquire then rejects or resolves `undefined`. */
  readonly signal?: AbortSignal;
}

/** A lock held through an adapter. */
export interface Held {
  release(): Promise<void>;
  /** True once the mechanism said the lease is lost (expired, taken, renewal failed). */
  readonly lost: boolean;
}

/** One connection's worth of a mechanism: what a worker process opens (each its own connection). */
export interface Locker {
  acquire(key: string, params: AcquireParams): Promise<Held | undefined>;
  /**
   * Leader election (the failover scenario), where the mechanism has it: resolves once this
   * candidate leads (waiting until `params.signal` aborts); `lost` turns true when leadership is
   * lost, `release()` resigns. `params.wait` and `keepAlive` are always true.
   */
  elect?(name: string, params: AcquireParams): Promise<Held>;
  /** Closes the connections this locker opened. Held locks may be left to expire. */
  close(): Promise<void>;
}

/**
 * One mechanism in the bench: a locksmith backend, the raw floor of a backend, or a peer library
 * with given settings. One file per mechanism under `src/adapters/`, one line in the registry.
 */
export interface BenchAdapter {
  /** Row name in every table, e.g. `redis`, `redis-floor`, `node-redlock-fast`. */
  readonly name: string;
  /** What it stores locks in: `memory`, `file`, `redis`, `redlock`. */
  readonly backend: string;
  readonly kind: 'locksmith' | 'floor' | 'peer';
  /** The floor it is compared with (ratio columns), if any. */
  readonly floor?: string;
  /** One line: what it is and how it waits. */
  readonly summary: string;
  /** Settings that differ between rows of one library (retry delays…), echoed into the report. */
  readonly settings: Readonly<Record<string, string | number | boolean>>;
  readonly requires: readonly Requirement[];
  /** npm packages it loads; their versions go into results.json. */
  readonly packages: readonly string[];
  /**
   * `process`: the lock lives in one process, so all of a run's workers share one worker process
   * (and recovery after killing the holder does not apply). `machine`/`network`: one process per worker.
   */
  readonly scope: 'process' | 'machine' | 'network';
  /** True for a lock without a lease (a floor): a killed holder's lock is never freed. */
  readonly noLease?: boolean;
  /**
   * True for a floor whose waiters poll. Uncontended it is still the floor (the same round
   * trips); under contention it is a polling baseline, not a lower bound, and the report says so.
   */
  readonly pollsUnderContention?: boolean;
  /** True when its lockers implement `elect` (leader election). */
  readonly elects?: boolean;
  /** Opens one connection (or client) of the mechanism. */
  open(env: BenchEnv): Promise<Locker>;
}

/**
 * Whether the worker counts this mechanism's commands and socket writes (only ioredis calls and
 * net.Socket writes are counted; etcd3's HTTP/2 streams and file I/O are not).
 */
export function countsCommands(adapter: BenchAdapter): boolean {
  return adapter.requires.includes('redis') || adapter.requires.includes('redlock');
}

/** `BenchEnv.redisUrl`, or an error saying how to set it. */
export function redisUrlOf(env: BenchEnv): string {
  if (env.redisUrl === undefined) throw new Error('LOCKSMITH_REDIS_URL is not set');
  return env.redisUrl;
}

/** `BenchEnv.redlockUrls`, or an error saying how to set them. */
export function redlockUrlsOf(env: BenchEnv): readonly string[] {
  if (env.redlockUrls === undefined || env.redlockUrls.length === 0)
    throw new Error('LOCKSMITH_REDLOCK_URLS is not set');
  return env.redlockUrls;
}
