/**
 * A monotonic clock in milliseconds. This client's deadlines and lease validity are computed on
 * it, never on wall time, so a wall-clock step can neither stretch nor cut a wait or this client's
 * view of a lease. What a backend shares with other clients is judged by that backend: the server's
 * own clock (Redis, etcd), or, for the file backend between hosts on a network file system, their
 * wall clocks, which must agree to within the drift margin (see each backend's README).
 */
export interface Clock {
  /** Milliseconds on a monotonic scale with an arbitrary origin. */
  now(): number;
}

/** The process's monotonic clock (`performance.now()`). */
export const systemClock: Clock = { now: () => performance.now() };
