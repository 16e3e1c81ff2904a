import { type FSWatcher, watch } from 'node:fs';

interface Watch {
  readonly watcher: FSWatcher;
  readonly listeners: Set<() => void>;
}

/**
 * `fs.watch` on key directories, as a hint that a lock's state changed so a waiter can poll at
 * once instead of at the end of its backoff delay. One watcher per directory however many waiters
 * share it; closed with the last one. Only a hint: watchers miss changes made on other hosts of a
 * network file system, may be unavailable (inotify limits), and can fire for nothing, so the
 * backoff polling stays the real wait path.
 */
export class DirectoryWatches {
  readonly #watches = new Map<string, Watch>();

  /** Calls `listener` on changes in `path` until the returned function is called. */
  subscribe(path: string, listener: () => void): () => void {
    let entry = this.#watches.get(path);
    if (entry === undefined) {
      const watcher = this.#open(path);
      if (watcher === undefined) return () => undefined;
      const created: Watch = { watcher, listeners: new Set() };
      watcher.on('change', () => {
        for (const l of [...created.listeners]) l();
      });
      // A watcher that fails (the directory went away) is dropped; polling carries on.
      watcher.on('error', () => this.#close(path, created));
      this.#watches.set(path, created);
      entry = created;
    }
    const current = entry;
    current.listeners.add(listener);
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0) this.#close(path, current);
    };
  }

  /** Closes every watcher. */
  closeAll(): void {
    for (const [path, entry] of this.#watches) this.#close(path, entry);
  }

  #open(path: string): FSWatcher | undefined {
    try {
      // persistent: false — a waiter's hint must not keep the process alive.
      return watch(path, { persistent: false });
    } catch {
      return undefined; // missing directory, ENOSPC (inotify limit), unsupported platform
    }
  }

  #close(path: string, entry: Watch): void {
    if (this.#watches.get(path) === entry) this.#watches.delete(path);
    entry.listeners.clear();
    entry.watcher.close();
  }
}
