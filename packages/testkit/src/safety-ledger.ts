import { OverlapDetector } from './overlap-detector.ts';

/**
 * The resource side of a fence, as the safety checker uses it: `accept` lets an operation through
 * when `token` is at least the highest seen for `resource`, and records it. `memoryFence()` from
 * `@locksmith/fencing` is one.
 */
export interface SafetyFence {
  /** Lets the operation through (`true`) when `token` is at least the highest seen for `resource`. */
  accept(resource: string, token: bigint): Promise<boolean> | boolean;
}

/** A fenced read: `ok: false` when the fence rejected the token (a newer holder touched the counter). */
export type LedgerRead =
  | {
      /** The fence accepted the token. */
      readonly ok: true;
      /** The counter's value. */
      readonly value: number;
      /** The counter's version, for the write that follows: a write from an older version is lost. */
      readonly version: number;
    }
  | {
      /** The fence rejected the token. */
      readonly ok: false;
    };

/** Counts of a {@link SafetyLedger}; the fields of a safety report that the resource observes. */
export interface LedgerCounts {
  /** Final value of the counter. */
  readonly counter: number;
  /** Writes the resource applied. */
  readonly writesAccepted: number;
  /** `writesAccepted - counter`: increments overwritten by a writer that read an old value. */
  readonly incrementsLost: number;
  /** Holders that entered the critical section while another was inside. */
  readonly overlaps: number;
  /** Most holders inside the critical section at once. */
  readonly maxConcurrent: number;
  /** Reads the fence rejected: the holder learnt it was stale before writing. */
  readonly staleReadsRejected: number;
  /** Writes the fence rejected. */
  readonly staleWritesRejected: number;
  /**
   * Writes applied although another holder had touched the counter since this holder's read:
   * each one can lose an increment. Zero whenever fencing works.
   */
  readonly staleWritesAccepted: number;
}

/**
 * A counter guarded by a fence, plus an {@link OverlapDetector}: the shared state of one safety
 * run. Operations run one at a time (like a single-threaded store), so a fence check and the
 * read or write it guards are atomic. Every accepted read or write is a "touch" that bumps
 * `version`; a write is stale when the version moved since the writer's own read.
 */
export class SafetyLedger {
  readonly #overlaps = new OverlapDetector();
  readonly #resource: string;
  readonly #fence: SafetyFence | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #counter = 0;
  #version = 0;
  #writesAccepted = 0;
  #staleReadsRejected = 0;
  #staleWritesRejected = 0;
  #staleWritesAccepted = 0;

  constructor(resource: string, fence: SafetyFence | undefined) {
    this.#resource = resource;
    this.#fence = fence;
  }

  /** A holder starts its critical section. @returns whether it overlapped another holder. */
  enter(holder: string): boolean {
    return this.#overlaps.enter(holder);
  }

  /** A holder ends its critical section (or died in it). */
  exit(holder: string): void {
    this.#overlaps.exit(holder);
  }

  /** Reads the counter through the fence. */
  read(token: bigint): Promise<LedgerRead> {
    return this.#serial(async () => {
      if (!(await this.#accept(token))) {
        this.#staleReadsRejected += 1;
        return { ok: false } as const;
      }
      this.#version += 1;
      return { ok: true, value: this.#counter, version: this.#version } as const;
    });
  }

  /** Writes `value` through the fence. `readVersion` is the version the writer's read returned. */
  write(token: bigint, value: number, readVersion: number): Promise<boolean> {
    return this.#serial(async () => {
      const stale = this.#version !== readVersion;
      if (!(await this.#accept(token))) {
        this.#staleWritesRejected += 1;
        return false;
      }
      if (stale) this.#staleWritesAccepted += 1;
      this.#counter = value;
      this.#version += 1;
      this.#writesAccepted += 1;
      return true;
    });
  }

  /** The counts so far. */
  counts(): LedgerCounts {
    return {
      counter: this.#counter,
      writesAccepted: this.#writesAccepted,
      incrementsLost: this.#writesAccepted - this.#counter,
      overlaps: this.#overlaps.overlaps,
      maxConcurrent: this.#overlaps.maxInside,
      staleReadsRejected: this.#staleReadsRejected,
      staleWritesRejected: this.#staleWritesRejected,
      staleWritesAccepted: this.#staleWritesAccepted,
    };
  }

  async #accept(token: bigint): Promise<boolean> {
    return this.#fence === undefined ? true : await this.#fence.accept(this.#resource, token);
  }

  #serial<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(operation);
    this.#queue = result.catch(() => undefined);
    return result;
  }
}
