/**
 * Locks between processes that share a file system: exclusive lock files with leases and fencing
 * tokens.
 *
 * @module @locksmith/file
 */
export type { FileHold } from './file-locks.ts';
export { FILE_CAPABILITIES, fileLocks } from './file-locks.ts';
export { keyDirName } from './file-names.ts';
export type { FileLocksOptions, WallClock } from './file-options.ts';
export { DEFAULT_POLL_MS } from './file-options.ts';
