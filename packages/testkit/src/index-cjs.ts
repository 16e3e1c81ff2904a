// The CommonJS entry (`require('@locksmith/testkit')`): everything that does not need vitest.
// vitest 4 cannot be required, so runConformance, conformanceCases and the guard are ESM only:
// index.ts re-exports all of this and adds them, so an export that works without vitest goes here.

export type { ClientFactory, ClientModule } from './client-module.ts';
export { DEFAULT_CLIENT_EXPORT } from './client-module.ts';
export type { ClientRequest, ConformanceFaults, ConformanceOptions } from './conformance-options.ts';
export type {
  FaultCounts,
  FaultNotRun,
  FaultOutcome,
  FaultRunResult,
  FaultSuiteResult,
} from './faults/fault-result.ts';
export { unsafeCounts } from './faults/fault-result.ts';
export type { FaultSuiteOptions } from './faults/fault-suite.ts';
export { runFault, runFaultSuite } from './faults/fault-suite.ts';
export type {
  FaultName,
  FaultSkip,
  FaultTarget,
  NetworkRoute,
  ServerFault,
  ServerFaultSetup,
  ServerInjection,
} from './faults/fault-target.ts';
export { FAULT_NAMES, isFaultSkip } from './faults/fault-target.ts';
export type { InjectionRecord, LeaseRecord, LeaseVerdict, TimelineEvent } from './faults/fault-timeline.ts';
export type { PrivateServerOptions } from './faults/private-server.ts';
export { PrivateServer } from './faults/private-server.ts';
export type { HolderProcess, SpawnHolderOptions } from './holder-process.ts';
export { spawnHolder } from './holder-process.ts';
export { OverlapDetector } from './overlap-detector.ts';
export type { SafetyCommonOptions, SafetyOptions, SafetyReport, SafetyStep } from './safety.ts';
export { checkSafety } from './safety.ts';
export type { LedgerCounts, LedgerRead, SafetyFence } from './safety-ledger.ts';
export { SafetyLedger } from './safety-ledger.ts';
export type { SafetyProcessesOptions, SafetyProcessesReport } from './safety-processes.ts';
export { checkSafetyAcrossProcesses } from './safety-processes.ts';
export { scaled, timeScale } from './time-scale.ts';
