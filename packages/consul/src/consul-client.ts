import { EventEmitter } from 'node:events';
import { BackendUnavailableError } from '@locksmith/core';

/** A request that has not answered after this long counts as failed (blocking queries add their wait). */
export const MAX_RPC_MS = 5_000;

/** One operation of a Consul transaction (`PUT /v1/txn`), in Consul's own field names. */
export interface TxnOp {
  readonly KV: {
    readonly Verb: 'lock' | 'unlock' | 'get' | 'check-session' | 'delete' | 'delete-cas';
    readonly Key: string;
    readonly Value?: string;
    readonly Session?: string;
    readonly Index?: number;
  };
}

/** A KV entry as Consul returns it. */
export interface KvEntry {
  readonly Key: string;
  readonly ModifyIndex: number;
  readonly LockIndex: number;
  readonly Session?: string;
  /** Decoded by the consul package (UTF-8). */
  readonly Value?: string | null;
}

interface RequestOptions {
  readonly timeout: number;
  readonly ctx?: EventEmitter;
  readonly index?: string;
  readonly wait?: string;
}

/**
 * The part of the `consul` package's client this package calls (its typings are loose, so the
 * calls are typed here). The user's client is used as is and never closed.
 */
export interface ConsulClient {
  readonly session: {
    create(options: Record<string, unknown>): Promise<{ ID: string }>;
    renew(options: { id: string } & RequestOptions): Promise<unknown>;
    destroy(options: { id: string } & RequestOptions): Promise<unknown>;
  };
  readonly transaction: {
    create(operations: readonly TxnOp[], options: RequestOptions): Promise<unknown>;
  };
  readonly kv: {
    get(options: { key: string } & RequestOptions): Promise<unknown>;
  };
}

/** The HTTP status of a `consul` client error (`undefined`: no reply, e.g. a timeout or reset). */
export function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; response?: { statusCode?: unknown } } | null;
  const code = e?.statusCode ?? e?.response?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/**
 * True for a failure that may pass: no reply (timeout, reset, refused) or a 5xx (no cluster
 * leader during an election). A 4xx (a bad token, a bad request) will not.
 */
export function transient(error: unknown): boolean {
  const cause = BackendUnavailableError.isInstance(error) ? ((error as Error).cause ?? error) : error;
  const status = statusOf(cause);
  return status === undefined || status >= 500;
}

/** The error's message, for matching Consul's replies. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Wraps a failed call as BackendUnavailableError (locksmith errors pass through). */
export function unavailable(what: string, error: unknown): BackendUnavailableError {
  if (BackendUnavailableError.isInstance(error)) return error;
  return new BackendUnavailableError('consul', `${what} failed: ${messageOf(error)}`, { cause: error });
}

/** A transaction's outcome: applied (with the KV entries its ops return), or rolled back and why. */
export type TxnOutcome =
  | { readonly ok: true; readonly entries: readonly KvEntry[] }
  | { readonly ok: false; readonly errors: readonly string[] };

/**
 * Runs a transaction. A rollback (409: a check failed, the key is locked by another session or
 * within its lock-delay, the session is invalid) resolves with Consul's reasons.
 * @throws the client's error when Consul could not be reached or failed otherwise.
 */
export async function txn(client: ConsulClient, ops: readonly TxnOp[]): Promise<TxnOutcome> {
  const ctx = Object.assign(new EventEmitter(), { includeResponse: true });
  try {
    const [, reply] = (await client.transaction.create(ops, { timeout: MAX_RPC_MS, ctx })) as unknown as [
      unknown,
      { Results?: { KV: KvEntry }[] } | undefined,
    ];
    return { ok: true, entries: (reply?.Results ?? []).map((r) => r.KV) };
  } catch (error) {
    if (statusOf(error) !== 409) throw error;
    const body = (error as { response?: { body?: { Errors?: { What?: string }[] } } }).response?.body;
    return { ok: false, errors: (body?.Errors ?? []).map((e) => String(e.What ?? '')) };
  }
}

/** What a (blocking) read of one key found: its entry (none: the key does not exist) and Consul's index. */
export interface KeyState {
  readonly entry: KvEntry | undefined;
  readonly index: number;
}

/**
 * Reads `key`; with `index` > 0 a blocking query that returns once the key changes past `index`
 * or `waitMs` passes. `signal` cancels the request.
 */
export async function readKey(
  client: ConsulClient,
  key: string,
  index: number,
  waitMs: number,
  signal: AbortSignal,
): Promise<KeyState> {
  signal.throwIfAborted();
  const ctx = Object.assign(new EventEmitter(), { includeResponse: true });
  const cancel = () => ctx.emit('cancel');
  signal.addEventListener('abort', cancel, { once: true });
  try {
    const blocking = index > 0;
    const reply = (await client.kv.get({
      key,
      ctx,
      timeout: MAX_RPC_MS + (blocking ? waitMs + waitMs / 16 : 0), // Consul adds up to wait/16 of jitter
      ...(blocking ? { index: String(index), wait: `${waitMs}ms` } : {}),
    })) as [{ headers: Record<string, string | undefined> }, KvEntry | undefined];
    const [res, entry] = reply;
    return { entry, index: Number(res.headers['x-consul-index'] ?? 0) };
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}
