import type { LedgerRead } from './safety-ledger.ts';
import type { SafetyWorkerPlan, SafetyWorkerStats } from './safety-worker-loop.ts';

/** Environment variable carrying a child's {@link SafetyChildConfig} as JSON. */
export const SAFETY_CONFIG_ENV = 'LOCKSMITH_SAFETY_CONFIG';

/** What a safety-worker child is told to do. */
export interface SafetyChildConfig extends SafetyWorkerPlan {
  readonly module: string;
  readonly exportName: string;
}

/** Child → parent. Each request carries an id the parent answers with a {@link SafetyReply}. */
export type SafetyRequest =
  | { readonly id: number; readonly op: 'ready' }
  | { readonly id: number; readonly op: 'enter' | 'exit'; readonly holder: string }
  | { readonly id: number; readonly op: 'read'; readonly token: bigint }
  | { readonly id: number; readonly op: 'step'; readonly iteration: number; readonly token: bigint }
  | {
      readonly id: number;
      readonly op: 'write';
      readonly token: bigint;
      readonly value: number;
      readonly version: number;
    };

/** Child → parent, once, when the child is done. */
export interface SafetyDone {
  readonly op: 'done';
  readonly stats: SafetyWorkerStats;
}

/** Parent → child. */
export interface SafetyReply {
  readonly id: number;
  readonly result: LedgerRead | boolean | null;
}
