/**
 * Counts mutual-exclusion violations: every `enter` while another holder is inside is one overlap.
 * Pure and synchronous, so the safety checker can call it at the exact points where a holder
 * starts and ends its critical section (after acquire, before release).
 */
export class OverlapDetector {
  readonly #inside = new Set<string>();
  #overlaps = 0;
  #maxInside = 0;
  #entries = 0;

  /**
   * Records that `holder` entered the critical section.
   * @returns whether it overlapped with a holder already inside.
   * @throws Error when `holder` is already inside: the caller's bookkeeping is broken, not the lock.
   */
  enter(holder: string): boolean {
    if (this.#inside.has(holder)) throw new Error(`holder ${holder} entered twice without exiting`);
    const overlapped = this.#inside.size > 0;
    if (overlapped) this.#overlaps += 1;
    this.#inside.add(holder);
    this.#entries += 1;
    this.#maxInside = Math.max(this.#maxInside, this.#inside.size);
    return overlapped;
  }

  /** Records that `holder` left; unknown holders are ignored (a worker that died is forgotten once). */
  exit(holder: string): void {
    this.#inside.delete(holder);
  }

  /** Holders inside right now. */
  get inside(): number {
    return this.#inside.size;
  }

  /** Entries that found another holder inside. Zero for a correct lock without faults. */
  get overlaps(): number {
    return this.#overlaps;
  }

  /** Most holders inside at once; 1 for a correct lock. */
  get maxInside(): number {
    return this.#maxInside;
  }

  /** Every `enter` so far. */
  get entries(): number {
    return this.#entries;
  }
}
