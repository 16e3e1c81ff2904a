import type { LockClient } from '@locksmith/core';
import { moduleUrl } from './child-scripts.ts';

/** The export a client module provides unless another name is given. */
export const DEFAULT_CLIENT_EXPORT = 'createClient';

/**
 * A module that builds a backend's client in a child process (the kill -9 holder, the safety
 * workers). Its export is called with the child's environment, so a test can pass it a server
 * URL or a lock directory through `env`.
 */
export interface ClientModule {
  /** Absolute path or URL of the module; `.ts` modules are run through tsx. */
  readonly module: string;
  /**
   * Name of the export `(env) => LockClient | Promise<LockClient>`.
   * @defaultValue `'createClient'`
   */
  readonly exportName?: string;
  /** Extra environment for the child (merged over `process.env`). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Signature of a client module's export. */
export type ClientFactory = (env: NodeJS.ProcessEnv) => LockClient | Promise<LockClient>;

/**
 * Imports `module` and builds a client with its export.
 * @throws Error when the export is missing or not a function.
 */
export async function loadClient(
  module: string,
  exportName: string,
  env: NodeJS.ProcessEnv,
): Promise<LockClient> {
  const loaded = (await import(moduleUrl(module))) as Record<string, unknown>;
  const factory = loaded[exportName];
  if (typeof factory !== 'function') {
    throw new Error(
      `${module} has no function export "${exportName}" (exports: ${Object.keys(loaded).join(', ')})`,
    );
  }
  return await (factory as ClientFactory)(env);
}
