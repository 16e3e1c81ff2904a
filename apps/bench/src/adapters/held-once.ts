import type { Held } from './adapter.ts';

/**
 * A held lock whose `release` runs `release` once: a worker may release again after an error or
 * when the run stops, and a second release must not free a lock someone else now holds.
 */
export function heldOnce(isLost: () => boolean, release: () => Promise<unknown>): Held {
  let done = false;
  return {
    get lost() {
      return isLost();
    },
    async release() {
      if (done) return;
      done = true;
      await release();
    },
  };
}
