/**
 * The keys one lock client is taking or holds, each with a promise that settles when it lets go.
 * Consul's lock is re-entrant per session, so two acquisitions of one key by one client must
 * never both send a lock: the second waits here for the first to end.
 */
export class KeyOwners {
  readonly #owners = new Map<string, { done: Promise<void>; free: () => void }>();

  /** Resolves when the current owner of `path` lets go, or `undefined` when it has none. */
  busy(path: string): Promise<void> | undefined {
    return this.#owners.get(path)?.done;
  }

  /** Makes the caller the owner of `path` (check {@link busy} first). */
  own(path: string): void {
    let free: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      free = resolve;
    });
    this.#owners.set(path, { done, free });
  }

  /** Lets go of `path`, waking whoever waits for it. */
  disown(path: string): void {
    const owner = this.#owners.get(path);
    this.#owners.delete(path);
    owner?.free();
  }
}
