export type { MemoryHold, MemoryLocksOptions } from './memory-locks.ts';
export { MEMORY_CAPABILITIES, memoryLocks } from './memory-locks.ts';
export type { MemoryKeyState, MemorySpaceOptions } from './memory-space.ts';
export { createMemorySpace, defaultMemorySpace, MemorySpace } from './memory-space.ts';
