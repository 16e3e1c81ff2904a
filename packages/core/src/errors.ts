const marker = Symbol.for('locksmith.error');

/** Stable codes of every locksmith error; safe to switch on across versions. */
export type LocksmithErrorCode =
  | 'LOCK_TIMEOUT'
  | 'LOCK_LOST'
  | 'LOCK_NOT_HELD'
  | 'BACKEND_UNAVAILABLE'
  | 'INVALID_ARGUMENT';

/**
 * Base of every error locksmith throws. Check with `LocksmithError.isInstance(e)` (or a subclass's
 * `isInstance`): unlike `instanceof`, it holds when two copies of `@locksmith/core` are installed.
 */
export abstract class LocksmithError extends Error {
  /** Stable code of the error class; switch on it rather than on the message. */
  abstract readonly code: LocksmithErrorCode;
  /** The brand {@link LocksmithError.isInstance} checks: a `Symbol.for` key, shared by every copy of core. */
  readonly [marker] = true;

  /** @param options - `cause`: the underlying error (a client's, or an abort reason), kept as `error.cause`. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  /** True for any locksmith error, also one thrown by another copy of `@locksmith/core`. */
  static isInstance(error: unknown): error is LocksmithError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}

function hasCode(error: unknown, code: LocksmithErrorCode): boolean {
  return LocksmithError.isInstance(error) && error.code === code;
}

/** `acquire` waited `waitMs` without getting the lock. */
export class LockTimeoutError extends LocksmithError {
  /** Always `'LOCK_TIMEOUT'`. */
  readonly code = 'LOCK_TIMEOUT' as const;
  constructor(
    /** The key that was not acquired. */
    readonly key: string,
    /** How long `acquire` waited, in milliseconds (the `waitMs` it was given). */
    readonly waitMs: number,
    options?: { cause?: unknown },
  ) {
    super(`lock "${key}" was not acquired within waitMs=${waitMs}`, options);
  }
  /** True for a `LockTimeoutError` from any copy of `@locksmith/core` (checks {@link code}). */
  static override isInstance(error: unknown): error is LockTimeoutError {
    return hasCode(error, 'LOCK_TIMEOUT');
  }
}

/** Why a lease was lost; carried by {@link LockLostError.reason}. */
export type LockLostReason = 'expired' | 'taken' | 'unreachable' | 'closed';

/**
 * A lease is no longer held: it expired before it could be renewed, another holder has the key,
 * or the backend could not be reached before the lease's deadline. `lease.signal` aborts with it.
 */
export class LockLostError extends LocksmithError {
  /** Always `'LOCK_LOST'`. */
  readonly code = 'LOCK_LOST' as const;
  constructor(
    /** The key whose lease was lost. */
    readonly key: string,
    /** Why: `expired`, `taken` by another holder, backend `unreachable` until the deadline, or `closed`. */
    readonly reason: LockLostReason,
    options?: { cause?: unknown },
  ) {
    super(`lock "${key}" was lost (${reason})`, options);
  }
  /** True for a `LockLostError` from any copy of `@locksmith/core` (checks {@link code}). */
  static override isInstance(error: unknown): error is LockLostError {
    return hasCode(error, 'LOCK_LOST');
  }
}

/** An operation needed a lease that has already been released. */
export class LockNotHeldError extends LocksmithError {
  /** Always `'LOCK_NOT_HELD'`. */
  readonly code = 'LOCK_NOT_HELD' as const;
  constructor(
    /** The key of the released lease. */
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`lock "${key}" is not held (it was released)`, options);
  }
  /** True for a `LockNotHeldError` from any copy of `@locksmith/core` (checks {@link code}). */
  static override isInstance(error: unknown): error is LockNotHeldError {
    return hasCode(error, 'LOCK_NOT_HELD');
  }
}

/** The backend could not be reached or answered with an error; `cause` holds the client's error. */
export class BackendUnavailableError extends LocksmithError {
  /** Always `'BACKEND_UNAVAILABLE'`. */
  readonly code = 'BACKEND_UNAVAILABLE' as const;
  constructor(
    /** The backend's name, as in {@link @locksmith/core!LockClient.backend} (`'redis'`, `'etcd'`, ...). */
    readonly backend: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${backend}: ${message}`, options);
  }
  /** True for a `BackendUnavailableError` (or a subclass) from any copy of `@locksmith/core`. */
  static override isInstance(error: unknown): error is BackendUnavailableError {
    return hasCode(error, 'BACKEND_UNAVAILABLE');
  }
}

/** Bad input, rejected before any I/O. `argument` names the offending argument or option. */
export class InvalidArgumentError extends LocksmithError {
  /** Always `'INVALID_ARGUMENT'`. */
  readonly code = 'INVALID_ARGUMENT' as const;
  constructor(
    /** The argument or option at fault, as the caller wrote it (`'key'`, `'ttlMs'`, `'options.pollMs'`). */
    readonly argument: string,
    message: string,
  ) {
    super(`${argument} ${message}`);
  }
  /** True for an `InvalidArgumentError` from any copy of `@locksmith/core` (checks {@link code}). */
  static override isInstance(error: unknown): error is InvalidArgumentError {
    return hasCode(error, 'INVALID_ARGUMENT');
  }
}
