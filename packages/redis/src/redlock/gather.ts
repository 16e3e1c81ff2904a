/** The state of one instance's reply in a round. */
export type Reply<T> =
  | { readonly state: 'ok'; readonly value: T }
  | { readonly state: 'failed'; readonly error: unknown }
  | { readonly state: 'pending' };

/**
 * Sends one call per instance (`call` returns `undefined` to skip an instance that is down, which
 * counts as failed) and resolves a snapshot of the replies as soon as `settled(replies)` says the
 * round is decided, every call has settled, or `timeoutMs` has passed (calls still out stay
 * `pending`; their promises are returned so a late reply can be handled).
 */
export function gather<T>(
  count: number,
  call: (index: number) => Promise<T> | undefined,
  settled: (replies: readonly Reply<T>[]) => boolean,
  timeoutMs: number,
): Promise<{ replies: Reply<T>[]; calls: (Promise<T> | undefined)[] }> {
  const replies: Reply<T>[] = [];
  const calls: (Promise<T> | undefined)[] = [];
  for (let i = 0; i < count; i += 1) {
    let sent: Promise<T> | undefined;
    try {
      sent = call(i);
    } catch (error) {
      replies.push({ state: 'failed', error });
      calls.push(undefined);
      continue;
    }
    replies.push(sent ? { state: 'pending' } : { state: 'failed', error: new Error('instance is down') });
    calls.push(sent);
    // A late rejection is expected (timeouts): never let it surface as unhandled.
    sent?.catch(() => undefined);
  }
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ replies: [...replies], calls });
    };
    const check = () => {
      if (replies.every((r) => r.state !== 'pending') || settled(replies)) finish();
    };
    const timer = setTimeout(finish, timeoutMs);
    timer.unref?.();
    calls.forEach((sent, i) => {
      sent?.then(
        (value) => {
          if (done) return;
          replies[i] = { state: 'ok', value };
          check();
        },
        (error: unknown) => {
          if (done) return;
          replies[i] = { state: 'failed', error };
          check();
        },
      );
    });
    check();
  });
}
