import type { BenchAdapter } from './adapter.ts';
import { heldOnce } from './held-once.ts';
import { postgresUrl } from './postgres-connect.ts';

type CreateMutex = (name: string) => {
  lock(): Promise<() => Promise<void>>;
  tryLock(): Promise<(() => Promise<void>) | undefined>;
};

/**
 * The `advisory-lock` npm package (2.0): each `lock()`/`tryLock()` opens a new pg connection, takes
 * `pg_advisory_lock` (blocking, server queue) or `pg_try_advisory_lock` on it, and the unlock
 * function ends that connection (a killed holder's lock goes with its connection). No token, no
 * lease, no way to cancel a wait: a wait the run stops is left to finish and is released at once.
 */
export const advisoryLockAdapter: BenchAdapter = {
  name: 'advisory-lock',
  backend: 'postgres',
  kind: 'peer',
  floor: 'postgres-floor',
  summary:
    'advisory-lock 2.0: a new pg connection per lock(), blocking pg_advisory_lock, unlock ends the connection',
  settings: {},
  requires: ['postgres'],
  packages: ['advisory-lock', 'pg'],
  scope: 'network',
  async open(env) {
    const module = (await import('advisory-lock')) as unknown as { default: unknown };
    // CJS default export, seen through ESM interop once or twice.
    const factory = ((module.default as { default?: unknown }).default ?? module.default) as (
      url: string,
    ) => CreateMutex;
    const createMutex = factory(postgresUrl());
    return {
      async acquire(name, p) {
        const mutex = createMutex(`${env.keyPrefix}advisory-lock:${name}`);
        if (!p.wait) {
          const release = await mutex.tryLock();
          return release === undefined ? undefined : heldOnce(() => false, release);
        }
        p.signal?.throwIfAborted();
        const pending = mutex.lock();
        if (p.signal === undefined) return heldOnce(() => false, await pending);
        const signal = p.signal;
        const aborted = new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
        );
        try {
          return heldOnce(() => false, await Promise.race([pending, aborted]));
        } catch (error) {
          void pending.then((release) => release()).catch(() => undefined); // cannot be cancelled: release when it lands
          throw error;
        }
      },
      async close() {},
    };
  },
};
