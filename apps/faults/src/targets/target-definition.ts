import type { FaultName, FaultTarget } from '@locksmith/testkit';
import type { ClientFile } from '../client-bundle.ts';

/** A server the bench knows how to find and probe (apps/bench/src/backends.ts). */
export type Requirement = 'redis' | 'redlock' | 'etcd' | 'zookeeper' | 'consul' | 'postgres' | 'mysql';

/** What a target is built from: where the servers are, and the client modules. */
export interface TargetSettings {
  /** `LOCKSMITH_*` settings (the launcher's, or the user's own servers). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly module: (file: ClientFile) => string;
  /** A directory of this run's own, for the file backend. */
  readonly fileDir: string;
}

/** One row of the report: a backend (or a mode of one) and how to fault it. */
export interface TargetDefinition {
  readonly name: string;
  readonly requires: readonly Requirement[];
  /** What the report should say about how this backend was run (a client module's policy). */
  readonly note?: string;
  /**
   * Faults that kill the launcher's shared servers, those of `requires` (opt-in; the tests run them
   * last, on their own, and one target at a time per set of servers).
   */
  readonly sharedFaults?: readonly FaultName[];
  build(settings: TargetSettings): FaultTarget;
}
