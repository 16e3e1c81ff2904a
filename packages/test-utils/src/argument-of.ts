import { isLocksmithError } from './locksmith-error.ts';

/** What `InvalidArgumentError.isInstance` answers, without importing core. */
function isInvalidArgument(error: unknown): error is { readonly argument: string } {
  return isLocksmithError(error, 'INVALID_ARGUMENT');
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
