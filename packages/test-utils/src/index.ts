export { argumentOf, rejectionArgument } from './argument-of.ts';
export type {
  ElectionFaultOptions,
  ElectionFaultReport,
  ElectorLike,
  LeadershipLike,
} from './election-through-fault.ts';
export { electionThroughFault } from './election-through-fault.ts';
export type { ElectionPartitionOptions, ReportingElector } from './election-through-partition.ts';
export { electionThroughPartition } from './election-through-partition.ts';
export { eventually } from './eventually.ts';
export { isLocksmithError } from './locksmith-error.ts';
export type { PartitionProxies } from './partition-proxies.ts';
export { partitionProxies, toxiproxyUnavailable } from './partition-proxies.ts';
