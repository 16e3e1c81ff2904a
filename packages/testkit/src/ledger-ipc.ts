// How a worker process touches the counter its parent keeps, for the safety checker's workers and
// the fault suite's alike: every enter, read, step, write and exit is a request the parent answers
// before the worker goes on, so the parent sees them in their real order.
import type { LedgerRead, SafetyLedger } from './safety-ledger.ts';

/** Child → parent: a touch of the parent's ledger, answered with a {@link LedgerReply} of the same id. */
export type LedgerRequest =
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

/** Parent → child: the answer to a request. */
export interface LedgerReply {
  readonly id: number;
  readonly result: LedgerRead | boolean | null;
}

/** A request as the worker writes it; the id is added when it is sent. */
export type RequestBody<R extends { readonly id: number }> = R extends unknown ? Omit<R, 'id'> : never;

/**
 * Applies an enter, exit, read or write to `ledger` and resolves its answer. `inside` tracks the
 * worker's holders that are in, so that the parent can let them out if the worker dies.
 */
export async function applyToLedger(
  ledger: SafetyLedger,
  inside: Set<string>,
  request: Exclude<LedgerRequest, { op: 'step' }>,
): Promise<LedgerReply['result']> {
  switch (request.op) {
    case 'enter':
      inside.add(request.holder);
      ledger.enter(request.holder);
      return null;
    case 'exit':
      inside.delete(request.holder);
      ledger.exit(request.holder);
      return null;
    case 'read':
      return ledger.read(request.token);
    case 'write':
      return ledger.write(request.token, request.value, request.version);
  }
}
