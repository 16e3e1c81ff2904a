// The mechanisms the bench script compares, behind one tiny interface. Not a test and not
// published: it measures @locksmith/redis against the raw floor and the peers users would pick.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Mutex, RedlockMutex } from 'redis-semaphore';
// redlock 5 beta ships types its exports map does not point to.
// @ts-expect-error TS7016
import Redlock from 'redlock';
import { redisLocks } from '../src/index.ts';

export interface Held {
  release(): Promise<unknown>;
}

export interface Mechanism {
  acquire(key: string): Promise<Held>;
  close(): Promise<void>;
}

export interface Servers {
  readonly single: string;
  readonly redlock: readonly string[];
}

const TTL_MS = 10_000;

export function connect(url: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 2 });
  client.on('error', () => undefined);
  return client;
}

// The fewest round trips any Redis lock can make: SET NX PX to take it, a compare-and-delete
// script to release it. No waiting (the floor is for the uncontended case only).
const CAD =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

async function floorOn(clients: readonly Redis[]): Promise<Mechanism> {
  const sha = String(await clients[0]!.script('LOAD', CAD));
  for (const c of clients.slice(1)) await c.script('LOAD', CAD);
  return {
    async acquire(key) {
      const value = randomUUID();
      const replies = await Promise.all(clients.map((c) => c.set(key, value, 'PX', TTL_MS, 'NX')));
      if (replies.filter((r) => r === 'OK').length <= clients.length / 2) throw new Error('floor: busy');
      return { release: () => Promise.all(clients.map((c) => c.evalsha(sha, 1, key, value))) };
    },
    async close() {
      for (const c of clients) c.disconnect();
    },
  };
}

type Factory = (servers: Servers) => Promise<Mechanism>;

function locksmith(kind: 'single' | 'redlock'): Factory {
  return async (servers) => {
    const clients = kind === 'single' ? [connect(servers.single)] : servers.redlock.map(connect);
    const locks = kind === 'single' ? redisLocks({ client: clients[0]! }) : redisLocks({ clients });
    return {
      acquire: (key) => locks.acquire(key, { ttlMs: TTL_MS }),
      async close() {
        await locks.close();
        for (const c of clients) c.disconnect();
      },
    };
  };
}

function nodeRedlock(kind: 'single' | 'redlock', fast: boolean): Factory {
  return async (servers) => {
    const clients = kind === 'single' ? [connect(servers.single)] : servers.redlock.map(connect);
    // Defaults: 10 retries, 200 ms ± 100 ms apart. Fast: retry every 1 ms ± 1 ms, forever.
    const redlock = new Redlock(clients, fast ? { retryCount: -1, retryDelay: 1, retryJitter: 1 } : {});
    redlock.on('error', () => undefined);
    return {
      acquire: (key) => redlock.acquire([key], TTL_MS),
      async close() {
        for (const c of clients) c.disconnect();
      },
    };
  };
}

function redisSemaphore(kind: 'single' | 'redlock', fast: boolean): Factory {
  return async (servers) => {
    const clients = kind === 'single' ? [connect(servers.single)] : servers.redlock.map(connect);
    // Defaults: retry every 10 ms for up to 10 s. Fast: every 1 ms, up to 60 s.
    const options = { lockTimeout: TTL_MS, ...(fast ? { retryInterval: 1, acquireTimeout: 60_000 } : {}) };
    return {
      async acquire(key) {
        const mutex =
          kind === 'single' ? new Mutex(clients[0]!, key, options) : new RedlockMutex(clients, key, options);
        await mutex.acquire();
        return { release: () => mutex.release() };
      },
      async close() {
        for (const c of clients) c.disconnect();
      },
    };
  };
}

/** Every mechanism by name. */
export const MECHANISMS: Record<string, Factory> = {
  floor: async (s) => floorOn([connect(s.single)]),
  locksmith: locksmith('single'),
  'node-redlock': nodeRedlock('single', false),
  'node-redlock-fast': nodeRedlock('single', true),
  'redis-semaphore': redisSemaphore('single', false),
  'redis-semaphore-fast': redisSemaphore('single', true),
  'floor-x5': async (s) => floorOn(s.redlock.map(connect)),
  'locksmith-redlock-x5': locksmith('redlock'),
  'node-redlock-x5': nodeRedlock('redlock', false),
  'redis-semaphore-redlock-x5': redisSemaphore('redlock', false),
};
