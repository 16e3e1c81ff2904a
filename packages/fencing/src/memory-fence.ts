import { validateKey } from '@locksmith/core/protocol';
import { type FenceStore, validateToken } from './fence-store.ts';

/** An in-memory {@link FenceStore} whose decisions are also available synchronously. */
export interface MemoryFence extends FenceStore {
  /**
   * Same decision as {@link FenceStore.accept}, synchronously: a check and a write done in the same
   * synchronous step cannot interleave with another writer's.
   */
  acceptSync(resource: string, token: bigint): boolean;
  /** The highest token accepted for `resource`, or `undefined` before the first accepted write. */
  highest(resource: string): bigint | undefined;
}

/**
 * A fence kept in this process's memory: for tests, simulations (the testkit's safety checker) and
 * resources that live in one process. It forgets everything when the process exits; a durable
 * resource keeps its fence next to its data (see `fencedUpdate` and `fencedRedisSet`).
 *
 * @example
 * ```ts
 * const fence = memoryFence();
 * fence.acceptSync('invoice:42', lease.token); // true unless a later holder already wrote
 * ```
 */
export function memoryFence(): MemoryFence {
  const highest = new Map<string, bigint>();
  const acceptSync = (resource: string, token: bigint): boolean => {
    validateKey(resource, 'resource');
    validateToken('token', token);
    const seen = highest.get(resource);
    if (seen !== undefined && token < seen) return false;
    highest.set(resource, token);
    return true;
  };
  return {
    acceptSync,
    // Validation errors become rejections, as for any async API.
    accept: async (resource, token) => acceptSync(resource, token),
    highest: (resource) => highest.get(validateKey(resource, 'resource')),
  };
}
