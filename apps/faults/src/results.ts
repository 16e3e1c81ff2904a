import type { FaultName, FaultOutcome } from '@locksmith/testkit';

/** One backend's row of a report: its outcomes, or why none ran (its servers were unreachable). */
export interface TargetResult {
  readonly name: string;
  /** How the backend was run, where the table alone would mislead. */
  readonly note?: string;
  readonly outcomes: readonly FaultOutcome[];
}

/** A `pnpm faults` run as written to results.json. */
export interface FaultsResults {
  readonly id: string;
  /** Wall time the run started (ISO 8601), for the report's heading. */
  readonly startedAt: string;
  readonly durationMs: number;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly node: string;
    readonly platform: string;
    /** 1-minute load average when the run started and when it ended: other work on the machine. */
    readonly load: readonly [number, number];
  };
  readonly options: {
    readonly quick: boolean;
    readonly workers: number;
    readonly faults: readonly FaultName[];
    readonly backends: readonly string[];
  };
  /** Server versions the probes found, by requirement. */
  readonly servers: Readonly<Record<string, string>>;
  readonly targets: readonly TargetResult[];
}

/** Events the lease records already hold; dropped from results.json to keep it small. */
const IN_LEASES = new Set(['acquiring', 'acquired', 'releasing', 'released']);

/** An outcome as results.json keeps it: every lease, and only the events leases do not show. */
export function compact(outcome: FaultOutcome): FaultOutcome {
  if (outcome.status !== 'ran') return outcome;
  return { ...outcome, events: outcome.events.filter((e) => !IN_LEASES.has(e.type)) };
}
