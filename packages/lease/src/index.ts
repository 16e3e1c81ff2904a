export { BatchingLeaseKeeper, leaseKeeper } from './lease-keeper.ts';
export type { LeaseTiming, LeaseTimingOptions } from './lease-timing.ts';
export { leaseDeadline, renewalDue, resolveLeaseTiming, retryDelay } from './lease-timing.ts';
