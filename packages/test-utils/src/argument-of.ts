// This package may not import @locksmith/core: core's own tests use it, and a runtime dependency
// would make a build cycle. So an InvalidArgumentError is recognised here the way
// `InvalidArgumentError.isInstance` recognises it (core's `Symbol.for('locksmith.error')` marker
// and the stable code), which also holds across two copies of core (src in core's tests, dist in
// the others'). Were core to change its marker, the error would be rethrown and the tests fail.
const LOCKSMITH_ERROR = Symbol.for('locksmith.error');

/** What `InvalidArgumentError.isInstance` answers, without importing it. */
function isInvalidArgument(error: unknown): error is { readonly argument: string } {
  if (typeof error !== 'object' || error === null) return false;
  const fields = error as Record<PropertyKey, unknown>;
  return fields[LOCKSMITH_ERROR] === true && fields.code === 'INVALID_ARGUMENT';
}

/**
 * The `argument` of the InvalidArgumentError `fn` throws, or `undefined` when it does not throw.
 * Any other error is rethrown.
 */
export function argumentOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (isInvalidArgument(error)) return error.argument;
    throw error;
  }
  return undefined;
}

/**
 * The `argument` of the InvalidArgumentError `run` throws or rejects with, or `undefined` when it
 * resolves. Any other error is rethrown.
 */
export async function rejectionArgument(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
  } catch (error) {
    if (isInvalidArgument(error)) return error.argument;
    throw error;
  }
  return undefined;
}
