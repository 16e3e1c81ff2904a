import { randomUUID } from 'node:crypto';
import type { LockClient, LocksmithError } from '@locksmith/core';
import { sleep } from '@locksmith/core/protocol';
import type { ConformanceOptions } from './conformance-options.ts';
import { scaled } from './time-scale.ts';

/** An error event a client emitted during a case. */
export interface SeenError {
  /** The client that emitted it. */
  readonly client: LockClient;
  /** The error it carried (a `LockLostError`, a failed release at close). */
  readonly error: LocksmithError;
  /** The key it concerned. */
  readonly key: string;
}

/**
 * One conformance case's world: the clients it made (closed after the case), unique keys, TTLs
 * scaled for the backend, and the `error` events clients emitted.
 */
export class CaseContext {
  readonly #clients: LockClient[] = [];
  readonly #cleanups: (() => Promise<unknown> | unknown)[] = [];
  readonly #prefix: string;
  /** The `error` events the case's clients emitted, in order. */
  readonly seen: SeenError[] = [];
  /** Cases that expect leases to be lost say so; otherwise an `error` event fails the case. */
  errorsExpected = false;

  constructor(
    /** The options `runConformance` was given. */
    readonly options: ConformanceOptions,
    caseName: string,
  ) {
    const slug = caseName.replace(/[^a-z0-9]+/gi, '-').slice(0, 40);
    this.#prefix = `locksmith-conformance/${options.name}/${randomUUID().slice(0, 8)}/${slug}`;
  }

  /** A new client, closed when the case ends; its `error` events are recorded in {@link seen}. */
  async client(request: { slowPoll?: boolean } = {}): Promise<LockClient> {
    const client = await this.options.createClient({ slowPoll: request.slowPoll ?? false });
    this.#clients.push(client);
    client.on('error', (error, key) => this.seen.push({ client, error, key }));
    return client;
  }

  /** A key no other case (or run on a shared server) uses. */
  key(label = 'k'): string {
    return `${this.#prefix}/${label}`;
  }

  /** Runs `fn` when the case ends, before its clients close. */
  onCleanup(fn: () => Promise<unknown> | unknown): void {
    this.#cleanups.push(fn);
  }

  /** Closes everything the case opened. Never throws: a failing close must not hide the case's own failure. */
  async cleanup(): Promise<void> {
    await Promise.allSettled(this.#cleanups.splice(0).map((fn) => fn()));
    await Promise.allSettled(this.#clients.splice(0).map((client) => client.close()));
  }
}

/** A TTL for the suite: `ms` scaled by `LOCKSMITH_TIME_SCALE` and by the backend's `ttlScale`. */
export function suiteTtl(options: ConformanceOptions, ms: number): number {
  return Math.ceil(scaled(ms) * (options.ttlScale ?? 1));
}

/**
 * Resolves once `signal` aborts.
 * @throws Error naming `what` when it has not aborted within `boundMs`.
 */
export function abortedWithin(signal: AbortSignal, boundMs: number, what: string): Promise<unknown> {
  if (signal.aborted) return Promise.resolve(signal.reason);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      reject(new Error(`${what}: not aborted within ${boundMs} ms`));
    }, boundMs);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Settles with `promise`'s outcome, or rejects naming `what` when it takes longer than `boundMs`
 * (the promise itself keeps running; callers abort it through a signal).
 */
export async function within<T>(promise: Promise<T>, boundMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: did not happen within ${boundMs} ms`)), boundMs);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Outcome of a promise as a value, so a test can assert on a rejection without try/catch. */
export async function outcome<T>(
  promise: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Polls `check` every few milliseconds until it is true. @throws Error naming `what` after `boundMs`. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  boundMs: number,
  what: string,
): Promise<void> {
  const deadline = performance.now() + boundMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`${what}: not true within ${boundMs} ms`);
    await sleep(5);
  }
}
