/**
 * LeaseKeeper: one renewal scheduler per lock client, lost-lease detection, drift margin.
 *
 * @module @locksmith/lease
 */
export type { ClientTiming, ClientTimingOptions } from './client-timing.ts';
export { resolveClientTiming } from './client-timing.ts';
export { leaseKeeper } from './lease-keeper.ts';
export type { LeaseTiming, LeaseTimingOptions } from './lease-timing.ts';
