import { BackendUnavailableError, LockLostError, LocksmithError } from '@locksmith/core';
import type {
  ExtendRequest,
  Hold,
  KeptLease,
  LeaseKeeper,
  LeaseKeeperDeps,
  LeaseKeeperFactory,
} from '@locksmith/core/protocol';
import {
  type LeaseTiming,
  type LeaseTimingOptions,
  leaseDeadline,
  renewalDue,
  resolveLeaseTiming,
  retryDelay,
} from './lease-timing.ts';

/** Renewals due within this fraction of a TTL join the batch being sent now. */
const BATCH_LOOKAHEAD = 0.15;

interface Entry<H extends Hold> {
  readonly lease: KeptLease<H>;
  ttlMs: number;
  deadline: number;
  /** Next renewal time; `Infinity` without autoRenew. */
  renewAt: number;
  /**
   * The request in flight for this lease, if any. One at a time per lease: the server then applies
   * them in the order they were sent, so each reply dates the deadline by its own TTL.
   */
  inFlight: Promise<unknown> | undefined;
  lastError: unknown;
}

/**
 * The lease keeper of `@locksmith/core` clients: one timer per client for all of its leases.
 * Due renewals are sent to the backend as one batch; a lease is lost when the backend says it is
 * gone, or when its deadline passes before a renewal succeeds (a wall-clock jump cannot move it:
 * every time here is on the client's monotonic clock).
 *
 * @example
 * ```ts
 * createLockClient(protocol, { keeper: leaseKeeper({ renewFraction: 0.5 }) });
 * ```
 * A backend that takes these options under its own option (`options.lease`) passes that name as
 * `argument`, so errors name the option as its caller wrote it.
 * @throws InvalidArgumentError for bad timing options.
 */
export function leaseKeeper(options?: LeaseTimingOptions, argument = 'options'): LeaseKeeperFactory {
  const timing = resolveLeaseTiming(options, argument);
  return <H extends Hold>(deps: LeaseKeeperDeps<H>) => new BatchingLeaseKeeper(deps, timing);
}

/** One renewal scheduler for every lease of one client. */
export class BatchingLeaseKeeper<H extends Hold> implements LeaseKeeper<H> {
  readonly #entries = new Map<KeptLease<H>, Entry<H>>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #closed = false;

  constructor(
    private readonly deps: LeaseKeeperDeps<H>,
    private readonly timing: LeaseTiming,
  ) {}

  /** Number of leases kept. */
  get size(): number {
    return this.#entries.size;
  }

  keep(lease: KeptLease<H>): boolean {
    if (this.#closed) return false;
    const { sentAt, ttlMs } = lease.hold;
    const deadline = leaseDeadline(this.timing, sentAt, ttlMs);
    // A hold read after a pause may be over already: it must never become a lease.
    if (deadline <= this.deps.clock.now()) return false;
    const entry: Entry<H> = {
      lease,
      ttlMs,
      deadline,
      renewAt: lease.autoRenew ? renewalDue(this.timing, sentAt, ttlMs) : Number.POSITIVE_INFINITY,
      inFlight: undefined,
      lastError: undefined,
    };
    this.#entries.set(lease, entry);
    // O(1) on the acquire path: move the one timer only when this lease needs it sooner.
    this.#wakeBy(Math.min(entry.deadline, entry.renewAt));
    return true;
  }

  check(lease: KeptLease<H>): boolean {
    const entry = this.#entries.get(lease);
    if (entry === undefined) return false;
    return this.#expireIfDue(entry, this.deps.clock.now());
  }

  async extend(lease: KeptLease<H>, ttlMs: number): Promise<void> {
    let entry = this.#entries.get(lease);
    // Wait for a renewal in flight: two requests in flight could be applied in either order.
    while (entry?.inFlight) {
      await entry.inFlight.catch(() => undefined);
      entry = this.#entries.get(lease);
    }
    if (!entry || !this.check(lease)) throw this.#lostError(lease, entry);
    const sentAt = this.deps.clock.now();
    const request = this.#send(entry, sentAt, ttlMs, () =>
      this.deps.extend([{ hold: lease.hold, ttlMs }]).then(([ok]) => ok === true),
    );
    let extended: boolean;
    try {
      extended = await request;
    } catch (error) {
      entry.inFlight = undefined;
      throw LocksmithError.isInstance(error)
        ? error
        : new BackendUnavailableError(
            this.deps.backend,
            `extend of "${lease.hold.key}" failed: ${String(error)}`,
            {
              cause: error,
            },
          );
    }
    entry.inFlight = undefined;
    if (this.#entries.get(lease) !== entry) throw this.#lostError(lease, entry);
    if (!extended) {
      const lost = new LockLostError(lease.hold.key, 'taken');
      this.#lose(entry, lost);
      throw lost;
    }
    entry.ttlMs = ttlMs;
    this.#confirm(entry, sentAt);
    if (!this.check(lease)) throw this.#lostError(lease, entry);
    this.#wakeBy(Math.min(entry.deadline, entry.renewAt));
  }

  forget(lease: KeptLease<H>): void {
    // The timer stays: firing with nothing due costs one scan, while resetting it on every
    // release would cost a timer per acquisition.
    this.#entries.delete(lease);
  }

  deadlineOf(lease: KeptLease<H>): number | undefined {
    return this.#entries.get(lease)?.deadline;
  }

  close(): void {
    this.#closed = true;
    this.#entries.clear();
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Marks `entry` busy with a request sent at `sentAt` carrying `ttlMs`. Until its reply, the
   * deadline is the earlier of the current one and what that request sets if applied at once: an
   * extend to a shorter TTL shortens the lease on the server as soon as it lands, even if its reply
   * is lost.
   */
  #send<T>(entry: Entry<H>, sentAt: number, ttlMs: number, request: () => Promise<T>): Promise<T> {
    entry.deadline = Math.min(entry.deadline, leaseDeadline(this.timing, sentAt, ttlMs));
    const promise = request();
    // The caller clears it once it has handled the reply, before anyone waiting on it resumes.
    entry.inFlight = promise.catch(() => undefined);
    return promise;
  }

  /**
   * Records a successful request sent at `sentAt` with `entry.ttlMs`. Requests of one lease never
   * overlap, so this one was the last the server applied: its TTL alone dates the deadline, which
   * may move earlier (an extend to a shorter TTL).
   */
  #confirm(entry: Entry<H>, sentAt: number): void {
    entry.deadline = leaseDeadline(this.timing, sentAt, entry.ttlMs);
    entry.renewAt = entry.lease.autoRenew
      ? renewalDue(this.timing, sentAt, entry.ttlMs)
      : Number.POSITIVE_INFINITY;
    entry.lastError = undefined;
  }

  /** Loses `entry` if its deadline has passed at `now`; returns whether it is still kept. */
  #expireIfDue(entry: Entry<H>, now: number): boolean {
    if (entry.deadline > now) return true;
    const reason = entry.lastError === undefined ? 'expired' : 'unreachable';
    this.#lose(entry, new LockLostError(entry.lease.hold.key, reason, { cause: entry.lastError }));
    return false;
  }

  /** The error for a lease that is no longer kept (lost meanwhile, or never kept). */
  #lostError(lease: KeptLease<H>, entry: Entry<H> | undefined): LockLostError {
    const reason = entry?.lastError === undefined ? 'expired' : 'unreachable';
    return new LockLostError(lease.hold.key, reason, { cause: entry?.lastError });
  }

  #lose(entry: Entry<H>, error: LockLostError): void {
    this.#entries.delete(entry.lease);
    entry.lease.lose(error);
  }

  /** Full rescan: after a tick or a renewal batch, when many times may have moved. */
  #schedule(): void {
    let next = Number.POSITIVE_INFINITY;
    for (const e of this.#entries.values()) {
      next = Math.min(next, e.deadline, e.inFlight ? Number.POSITIVE_INFINITY : e.renewAt);
    }
    this.#setTimer(next);
  }

  /** Makes sure the timer fires no later than `at`. */
  #wakeBy(at: number): void {
    if (at < this.#timerAt) this.#setTimer(at);
  }

  #setTimer(next: number): void {
    if (next === this.#timerAt) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = next;
    if (next === Number.POSITIVE_INFINITY) return;
    const delay = Math.max(0, Math.ceil(next - this.deps.clock.now()));
    this.#timer = setTimeout(() => this.#tick(), delay);
    // Keeping a lease must not keep the process alive on its own.
    this.#timer.unref?.();
  }

  #tick(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const now = this.deps.clock.now();
    const due: Entry<H>[] = [];
    for (const entry of [...this.#entries.values()]) {
      if (!this.#expireIfDue(entry, now)) continue;
      if (entry.inFlight === undefined && entry.renewAt - now <= entry.ttlMs * BATCH_LOOKAHEAD)
        due.push(entry);
    }
    if (due.length > 0) void this.#renew(due);
    this.#schedule();
  }

  async #renew(batch: Entry<H>[]): Promise<void> {
    const sentAt = this.deps.clock.now();
    const requests: ExtendRequest<H>[] = batch.map((e) => ({ hold: e.lease.hold, ttlMs: e.ttlMs }));
    const call = this.deps.extend(requests);
    for (const entry of batch) void this.#send(entry, sentAt, entry.ttlMs, () => call);
    let results: boolean[] | undefined;
    let failure: unknown;
    try {
      results = await call;
    } catch (error) {
      failure = error;
    }
    const now = this.deps.clock.now();
    batch.forEach((entry, i) => {
      entry.inFlight = undefined;
      if (this.#entries.get(entry.lease) !== entry) return;
      if (results === undefined) {
        // Unreachable: retry soon; the lease is lost only when its deadline passes first.
        entry.lastError = failure;
        entry.renewAt = now + retryDelay(entry.ttlMs);
      } else if (results[i] === true) {
        this.#confirm(entry, sentAt);
      } else {
        this.#lose(entry, new LockLostError(entry.lease.hold.key, 'taken'));
        return;
      }
      // A reply that arrives after the deadline (the process was paused) cannot revive the lease.
      this.#expireIfDue(entry, now);
    });
    this.#schedule();
  }
}
