// A backend in 40 lines: a LockProtocol over a Map, turned into a full LockClient by core.
// Real backends (redis, etcd, …) have the same shape; only the protocol talks to a server.
import { systemClock } from '@locksmith/core';
import { createLockClient, type Hold, type LockProtocol } from '@locksmith/core/protocol';
import { leaseKeeper } from '@locksmith/lease';

const held = new Map<string, { id: symbol; until: number }>();
let counter = 0n;

const mapProtocol: LockProtocol<Hold & { id: symbol }> = {
  backend: 'example-map',
  capabilities: { fencing: 'strict', wait: 'poll', fifo: false, primitives: ['lock'] },
  // One acquire: core's wait loop calls take() until it holds, waiting retryMs (or a push wake-up)
  // between tries, and leave() when the caller gives up.
  attempt(key, { ttlMs }) {
    return {
      async take() {
        const now = systemClock.now();
        const current = held.get(key);
        if (current && current.until > now) return { retryMs: 10 }; // polls; a real backend pushes
        const id = Symbol(key);
        held.set(key, { id, until: now + ttlMs });
        return { hold: { key, id, token: ++counter, sentAt: now, ttlMs } };
      },
      async leave() {}, // nothing queued in this sketch
    };
  },
  async release(hold) {
    if (held.get(hold.key)?.id !== hold.id) return false;
    return held.delete(hold.key);
  },
  async extend(requests) {
    const now = systemClock.now();
    return requests.map(({ hold, ttlMs }) => {
      const current = held.get(hold.key);
      if (current?.id !== hold.id) return false;
      current.until = now + ttlMs;
      return true;
    });
  },
  async close() {},
};

export async function main(): Promise<string[]> {
  const locks = createLockClient(mapProtocol, { keeper: leaseKeeper() });
  const log: string[] = [];
  {
    await using lease = await locks.acquire('invoice:42', { ttlMs: 5_000, waitMs: 0 });
    log.push(`held ${lease.key} with token ${lease.token}`);
    log.push(`second try: ${(await locks.tryAcquire('invoice:42')) === undefined ? 'busy' : 'got it'}`);
  } // released here
  const result = await locks.withLock('invoice:42', (lease) => `withLock ran with token ${lease.token}`, {
    waitMs: 0,
  });
  log.push(result);
  await locks.close();
  return log;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await main()).join('\n'));
