// The CommonJS entry (`require('@locksmith/testkit')`): everything that does not need vitest.
// vitest 4 cannot be required, so runConformance, conformanceCases and the guard are ESM only.

export type { ClientFactory, ClientModule } from './client-module.ts';
export { DEFAULT_CLIENT_EXPORT } from './client-module.ts';
export type { ClientRequest, ConformanceFaults, ConformanceOptions } from './conformance-options.ts';
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
