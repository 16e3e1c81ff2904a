// This package may not import @locksmith/core: core's own tests use it, and a runtime dependency
// would make a build cycle. So a locksmith error is recognised here the way `isInstance` recognises
// it (core's `Symbol.for('locksmith.error')` marker and the stable code), which also holds across
// two copies of core (src in core's tests, dist in the others'). Were core to change its marker,
// the checks that use this would fail.
const LOCKSMITH_ERROR = Symbol.for('locksmith.error');

/** What `<Error>.isInstance` of core answers for the error class with `code`, without importing it. */
export function isLocksmithError(error: unknown, code: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const fields = error as Record<PropertyKey, unknown>;
  return fields[LOCKSMITH_ERROR] === true && fields.code === code;
}
