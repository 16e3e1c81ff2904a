const abortedOf = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted')?.get;
const reasonOf = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'reason')?.get;

/**
 * Makes `signal` run `refresh` before it answers `aborted`, `reason` or `throwIfAborted()`, so a
 * signal the user kept answers from the lease's deadline at the moment it is read: after a GC
 * pause or SIGSTOP, the timer that would abort it runs late. Listeners still fire from the timer.
 */
export function liveSignal(signal: AbortSignal, refresh: () => void): AbortSignal {
  if (abortedOf === undefined || reasonOf === undefined) return signal;
  Object.defineProperties(signal, {
    aborted: {
      get() {
        refresh();
        return abortedOf.call(signal) as boolean;
      },
    },
    reason: {
      get() {
        refresh();
        return reasonOf.call(signal) as unknown;
      },
    },
    throwIfAborted: {
      value() {
        refresh();
        if (abortedOf.call(signal) === true) throw reasonOf.call(signal);
      },
    },
  });
  return signal;
}
