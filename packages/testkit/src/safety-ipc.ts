import type { LedgerRequest } from './ledger-ipc.ts';
import type { SafetyWorkerPlan, SafetyWorkerStats } from './safety-worker-loop.ts';

/** Environment variable carrying a child's {@link SafetyChildConfig} as JSON. */
export const SAFETY_CONFIG_ENV = 'LOCKSMITH_SAFETY_CONFIG';

/** What a safety-worker child is told to do. */
export interface SafetyChildConfig extends SafetyWorkerPlan {
  readonly module: string;
  readonly exportName: string;
}

/**
 * Child → parent. Each request carries an id the parent answers with a `LedgerReply`; the
 * answer to `ready` comes once every worker has its client, so that all start together.
 */
export type SafetyRequest = { readonly id: number; readonly op: 'ready' } | LedgerRequest;

/** Child → parent, once, when the child is done. */
export interface SafetyDone {
  readonly op: 'done';
  readonly stats: SafetyWorkerStats;
}
