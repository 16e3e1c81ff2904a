import { type Capabilities, type Clock, type LockClient, LockLostError } from '@locksmith/core';
import {
  type AcquireRequest,
  createLockClient,
  type ExtendRequest,
  type Hold,
  type LockAttempt,
  type LockProtocol,
  validateOptionsObject,
} from '@locksmith/core/protocol';
import { type LeaseTimingOptions, resolveClientTiming } from '@locksmith/lease';
import { defaultMemorySpace, type MemoryClaim, type MemorySpace, validateSpace } from './memory-space.ts';

/** Options of {@link memoryLocks}. Unknown options are rejected. */
export interface MemoryLocksOptions {
  /**
   * The lock space to use. Clients on the same space contend for the same keys.
   * @defaultValue the process-wide space, shared by every `memoryLocks()` without `space`
   */
  readonly space?: MemorySpace;
  /**
   * Monotonic clock for this client's lease deadlines. The space measures TTLs on its own clock
   * (see `createMemorySpace`); keep the two the same outside tests.
   * @defaultValue `systemClock` from `@locksmith/core`
   */
  readonly clock?: Clock;
  /** Renewal timing of the client's lease keeper (`leaseKeeper(options.lease)`). @defaultValue `{}` */
  readonly lease?: LeaseTimingOptions;
}

/** A hold on an in-process lock. */
export type MemoryHold = Hold;

/** What the in-process backend guarantees: FIFO hand-off within one space, strict tokens. */
export const MEMORY_CAPABILITIES: Capabilities = Object.freeze({
  fencing: 'strict',
  wait: 'push',
  fifo: true,
  primitives: Object.freeze(['lock'] as const),
});

/**
 * In-process locks: the reference implementation of the locksmith contract. Waiters queue per key
 * and the key is handed to the one that waited longest on release or expiry (no barging); tokens
 * strictly increase; leases expire unless renewed, as with a remote backend.
 *
 * Trade-off: nothing leaves the process, so it protects only against other code in this process
 * (use `@locksmith/file` or a server backend between processes).
 *
 * @example
 * ```ts
 * const locks = memoryLocks();
 * await locks.withLock('invoice:42', (lease) => charge(42, lease.token));
 * ```
 * @throws InvalidArgumentError on an unknown option or a bad value, before anything else.
 */
export function memoryLocks(options?: MemoryLocksOptions): LockClient {
  const o = validateOptionsObject<MemoryLocksOptions>('options', options, ['space', 'clock', 'lease']);
  const space = o.space === undefined ? defaultMemorySpace() : validateSpace('options.space', o.space);
  const { clock, keeper } = resolveClientTiming(o);
  return createLockClient(new MemoryProtocol(space, clock), { keeper, clock });
}

/** The in-process {@link LockProtocol}: every call is synchronous work on the space. */
class MemoryProtocol implements LockProtocol<MemoryHold> {
  readonly backend = 'memory';
  readonly capabilities = MEMORY_CAPABILITIES;
  #report: ((hold: MemoryHold, error: LockLostError) => void) | undefined;

  constructor(
    private readonly space: MemorySpace,
    private readonly clock: Clock,
  ) {}

  attempt(key: string, { ttlMs }: AcquireRequest): LockAttempt<MemoryHold> {
    let granted: MemoryHold | undefined;
    let delivered = false;
    let onGrant: (() => void) | undefined;
    let dequeue: (() => void) | undefined;
    const claim = this.#claim(key, ttlMs, (hold) => {
      granted = hold;
      onGrant?.();
    });
    const deliver = (hold: MemoryHold) => {
      delivered = true;
      return hold;
    };
    return {
      take: async () => {
        if (granted) return { hold: deliver(granted) };
        if (dequeue === undefined && this.space.tryTake(key, claim)) return { hold: deliver(granted!) };
        // Queued: the release (or the expiry of the holder) grants the key to the head at once.
        // May grant synchronously (the hold expired a moment ago); the next take then finds it.
        dequeue ??= this.space.enqueue(key, claim);
        if (granted) return { hold: deliver(granted) };
        const wake = new Promise<void>((resolve) => {
          onGrant = () => resolve();
        });
        return { retryMs: Number.POSITIVE_INFINITY, wake };
      },
      leave: async (late) => {
        dequeue?.();
        // Granted while the caller gave up: hand it straight on.
        const undelivered = late ?? (delivered ? undefined : granted);
        if (undelivered) this.space.release(key, undelivered.token);
      },
    };
  }

  async release(hold: MemoryHold): Promise<boolean> {
    return this.space.release(hold.key, hold.token);
  }

  async extend(requests: readonly ExtendRequest<MemoryHold>[]): Promise<boolean[]> {
    return requests.map(({ hold, ttlMs }) => this.space.extend(hold.key, hold.token, ttlMs));
  }

  onLoss(report: (hold: MemoryHold, error: LockLostError) => void): void {
    this.#report = report;
  }

  async close(): Promise<void> {
    this.#report = undefined;
  }

  #claim(key: string, ttlMs: number, onGranted: (hold: MemoryHold) => void): MemoryClaim {
    let hold: MemoryHold | undefined;
    return {
      ttlMs,
      granted: (token) => {
        // Read the clock at the grant itself: the space started the TTL at this instant.
        hold = { key, token, sentAt: this.clock.now(), ttlMs };
        onGranted(hold);
      },
      lost: (reason) => {
        if (hold !== undefined) this.#report?.(hold, new LockLostError(key, reason));
      },
    };
  }
}
