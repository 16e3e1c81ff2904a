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
  abstract readonly code: LocksmithErrorCode;
  readonly [marker] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  static isInstance(error: unknown): error is LocksmithError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}

function hasCode(error: unknown, code: LocksmithErrorCode): boolean {
  return LocksmithError.isInstance(error) && error.code === code;
}

/** `acquire` waited `waitMs` without getting the lock. */
export class LockTimeoutError extends LocksmithError {
  readonly code = 'LOCK_TIMEOUT' as const;
  constructor(
    readonly key: string,
    readonly waitMs: number,
    options?: { cause?: unknown },
  ) {
    super(`lock "${key}" was not acquired within waitMs=${waitMs}`, options);
  }
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
  readonly code = 'LOCK_LOST' as const;
  constructor(
    readonly key: string,
    readonly reason: LockLostReason,
    options?: { cause?: unknown },
  ) {
    super(`lock "${key}" was lost (${reason})`, options);
  }
  static override isInstance(error: unknown): error is LockLostError {
    return hasCode(error, 'LOCK_LOST');
  }
}

/** An operation needed a lease that has already been released. */
export class LockNotHeldError extends LocksmithError {
  readonly code = 'LOCK_NOT_HELD' as const;
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`lock "${key}" is not held (it was released)`, options);
  }
  static override isInstance(error: unknown): error is LockNotHeldError {
    return hasCode(error, 'LOCK_NOT_HELD');
  }
}

/** The backend could not be reached or answered with an error; `cause` holds the client's error. */
export class BackendUnavailableError extends LocksmithError {
  readonly code = 'BACKEND_UNAVAILABLE' as const;
  constructor(
    readonly backend: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${backend}: ${message}`, options);
  }
  static override isInstance(error: unknown): error is BackendUnavailableError {
    return hasCode(error, 'BACKEND_UNAVAILABLE');
  }
}

/** Bad input, rejected before any I/O. `argument` names the offending argument or option. */
export class InvalidArgumentError extends LocksmithError {
  readonly code = 'INVALID_ARGUMENT' as const;
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(`${argument} ${message}`);
  }
  static override isInstance(error: unknown): error is InvalidArgumentError {
    return hasCode(error, 'INVALID_ARGUMENT');
  }
}
