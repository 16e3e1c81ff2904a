import type { AcquireParams, BenchAdapter, Held, Locker } from './adapter.ts';
import { heldOnce } from './held-once.ts';

/** One hold: a fencing token and a TTL timer, as every lease-based lock needs at least. */
interface Hold {
  readonly key: string;
  readonly token: bigint;
  readonly ttlMs: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  lost: boolean;
}

/** Holders, FIFO waiters and token counters per key, shared by every locker of the process. */
const holders = new Map<string, Hold>();
const waiters = new Map<string, (() => void)[]>();
const tokens = new Map<string, bigint>();
/** Holds kept alive, renewed together by one timer (the floor of a lease keeper). */
const kept = new Set<Hold>();
let keeper: ReturnType<typeof setInterval> | undefined;

function keepAlive(hold: Hold): void {
  kept.add(hold);
  if (keeper === undefined) {
    keeper = setInterval(
      () => {
        for (const h of kept) h.timer?.refresh();
      },
      Math.max(1, Math.floor(hold.ttlMs / 3)),
    );
    keeper.unref();
  }
}

function end(hold: Hold): void {
  clearTimeout(hold.timer);
  kept.delete(hold);
  if (kept.size === 0) {
    clearInterval(keeper);
    keeper = undefined;
  }
  if (holders.get(hold.key) !== hold) return; // expired earlier: someone else may hold it now
  const queue = waiters.get(hold.key);
  const next = queue?.shift();
  if (queue?.length === 0) waiters.delete(hold.key);
  holders.delete(hold.key);
  next?.(); // the next waiter takes it at once: no barging
}

/** Takes `key` (free): the next token and a TTL timer that frees it if never released. */
function take(key: string, p: AcquireParams): Held {
  const token = (tokens.get(key) ?? 0n) + 1n;
  tokens.set(key, token);
  const hold: Hold = { key, token, ttlMs: p.ttlMs, timer: undefined, lost: false };
  hold.timer = setTimeout(() => {
    hold.lost = true;
    end(hold);
  }, p.ttlMs);
  hold.timer.unref();
  holders.set(key, hold);
  if (p.keepAlive) keepAlive(hold);
  return heldOnce(
    () => hold.lost,
    async () => end(hold),
  );
}

/**
 * The floor of in-process locking with the same work as a lease: a map of holders, a FIFO queue of
 * resolvers per key, a fencing token per grant and a TTL timer per hold (kept-alive holds renewed
 * together by one timer). Without the token and timer its ratio measured timer cost, not the lock.
 */
export const memoryFloorAdapter: BenchAdapter = {
  name: 'memory-floor',
  backend: 'memory',
  kind: 'floor',
  summary: 'a Map of holders and a FIFO queue of waiters per key, with a token and a TTL timer per hold',
  settings: {},
  requires: [],
  packages: [],
  scope: 'process',
  noLease: true,
  async open(): Promise<Locker> {
    return {
      acquire(key, p) {
        if (!holders.has(key)) return Promise.resolve(take(key, p));
        if (!p.wait) return Promise.resolve(undefined);
        if (p.signal?.aborted) return Promise.reject(p.signal.reason);
        return new Promise((resolve, reject) => {
          const wake = () => {
            p.signal?.removeEventListener('abort', abort);
            resolve(take(key, p));
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
