import type { BenchAdapter, Held, Locker } from './adapter.ts';
import { heldOnce } from './held-once.ts';

/** Holders and FIFO waiters per key, shared by every locker of the process. */
const holders = new Set<string>();
const waiters = new Map<string, (() => void)[]>();

function release(key: string): void {
  const queue = waiters.get(key);
  const next = queue?.shift();
  if (queue?.length === 0) waiters.delete(key);
  if (next === undefined) holders.delete(key);
  else next(); // hand the key over without freeing it: no barging
}

function held(key: string): Held {
  return heldOnce(
    () => false,
    async () => release(key),
  );
}

/**
 * The floor of in-process locking: a set of held keys and a FIFO queue of resolvers per key. No
 * TTL, no tokens, no renewal: what any in-process lock must do at least.
 */
export const memoryFloorAdapter: BenchAdapter = {
  name: 'memory-floor',
  backend: 'memory',
  kind: 'floor',
  summary: 'a Set of held keys and a FIFO queue of waiters per key (no TTL, no tokens)',
  settings: {},
  requires: [],
  packages: [],
  scope: 'process',
  noLease: true,
  async open(): Promise<Locker> {
    return {
      acquire(key, p) {
        if (!holders.has(key)) {
          holders.add(key);
          return Promise.resolve(held(key));
        }
        if (!p.wait) return Promise.resolve(undefined);
        return new Promise((resolve, reject) => {
          const wake = () => {
            p.signal?.removeEventListener('abort', abort);
            resolve(held(key));
          };
          const abort = () => {
            const queue = waiters.get(key) ?? [];
            const i = queue.indexOf(wake);
            if (i >= 0) queue.splice(i, 1);
            reject(p.signal?.reason);
          };
          p.signal?.addEventListener('abort', abort, { once: true });
          const queue = waiters.get(key);
          if (queue === undefined) waiters.set(key, [wake]);
          else queue.push(wake);
        });
      },
      async close() {},
    };
  },
};
