/**
 * A monotonic clock in milliseconds. Deadlines and lease validity are computed on it, never on
 * wall time, so a wall-clock step can neither stretch nor cut a wait or a lease.
 */
export interface Clock {
  /** Milliseconds on a monotonic scale with an arbitrary origin. */
  now(): number;
}

/** The process's monotonic clock (`performance.now()`). */
export const systemClock: Clock = { now: () => performance.now() };
