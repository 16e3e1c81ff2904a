/**
 * In-process locks on the locksmith contract: FIFO waiters, strict fencing tokens, TTL and renewal.
 *
 * @module @locksmith/memory
 */
export type { MemoryHold, MemoryLocksOptions } from './memory-locks.ts';
export { MEMORY_CAPABILITIES, memoryLocks } from './memory-locks.ts';
export type { MemoryClaim, MemoryKeyState, MemorySpaceOptions } from './memory-space.ts';
export { createMemorySpace, defaultMemorySpace, MemorySpace } from './memory-space.ts';
