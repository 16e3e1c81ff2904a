import {
  BackendUnavailableError,
  type ExtendRequest,
  type Hold,
  type KeptLease,
  type LeaseKeeper,
  type LeaseKeeperDeps,
  type LeaseKeeperFactory,
  LockLostError,
  LocksmithError,
} from '@locksmith/core';
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
  inFlight: boolean;
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

  keep(lease: KeptLease<H>): void {
    if (this.#closed) return;
    const { sentAt, ttlMs } = lease.hold;
    const entry: Entry<H> = { lease, ttlMs, deadline: 0, renewAt: 0, inFlight: false, lastError: undefined };
    this.#confirm(entry, sentAt);
    this.#entries.set(lease, entry);
    // O(1) on the acquire path: move the one timer only when this lease needs it sooner.
    this.#wakeBy(Math.min(entry.deadline, entry.renewAt));
  }

  async extend(lease: KeptLease<H>, ttlMs: number): Promise<void> {
    const entry = this.#entries.get(lease);
    if (!entry) throw new LockLostError(lease.hold.key, 'expired');
    const sentAt = this.deps.clock.now();
    let extended: boolean | undefined;
    try {
      [extended] = await this.deps.extend([{ hold: lease.hold, ttlMs }]);
    } catch (error) {
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
    if (!this.#entries.has(lease)) throw new LockLostError(lease.hold.key, 'expired');
    if (extended !== true) {
      const lost = new LockLostError(lease.hold.key, 'taken');
      this.#lose(entry, lost);
      throw lost;
    }
    entry.ttlMs = ttlMs;
    this.#confirm(entry, sentAt);
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

  /** Records a successful request sent at `sentAt` (never moves the deadline backwards). */
  #confirm(entry: Entry<H>, sentAt: number): void {
    entry.deadline = Math.max(entry.deadline, leaseDeadline(this.timing, sentAt, entry.ttlMs));
    entry.renewAt = entry.lease.autoRenew
      ? renewalDue(this.timing, sentAt, entry.ttlMs)
      : Number.POSITIVE_INFINITY;
    entry.lastError = undefined;
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
      if (entry.deadline <= now) {
        const reason = entry.lastError === undefined ? 'expired' : 'unreachable';
        this.#lose(entry, new LockLostError(entry.lease.hold.key, reason, { cause: entry.lastError }));
      } else if (!entry.inFlight && entry.renewAt - now <= entry.ttlMs * BATCH_LOOKAHEAD) {
        due.push(entry);
      }
    }
    if (due.length > 0) void this.#renew(due);
    this.#schedule();
  }

  async #renew(batch: Entry<H>[]): Promise<void> {
    for (const entry of batch) entry.inFlight = true;
    const sentAt = this.deps.clock.now();
    const requests: ExtendRequest<H>[] = batch.map((e) => ({ hold: e.lease.hold, ttlMs: e.ttlMs }));
    let results: boolean[] | undefined;
    let failure: unknown;
    try {
      results = await this.deps.extend(requests);
    } catch (error) {
      failure = error;
    }
    const now = this.deps.clock.now();
    batch.forEach((entry, i) => {
      entry.inFlight = false;
      if (this.#entries.get(entry.lease) !== entry) return;
      if (results === undefined) {
        // Unreachable: retry soon; the lease is lost only when its deadline passes first.
        entry.lastError = failure;
        entry.renewAt = now + retryDelay(entry.ttlMs);
      } else if (results[i] === true) {
        this.#confirm(entry, sentAt);
      } else {
        this.#lose(entry, new LockLostError(entry.lease.hold.key, 'taken'));
      }
    });
    this.#schedule();
  }
}
