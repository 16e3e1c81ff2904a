import type { ExtendRequest, Hold } from './protocol.ts';

/** A server-side session that keeps many holds alive at once (an etcd lease, a Consul session). */
export interface SharedSession {
  /** The TTL the server granted the session, in ms: a hold asking for more must move. */
  readonly grantedMs: number;
}

/**
 * A batch `extend` for holds that live as long as their session: one renewal per session, sent
 * now, answers every hold on it (so each renewed deadline is dated no later than that send); a
 * hold asking for a TTL past its session's is moved to a longer one by `move`.
 */
export async function extendBySession<
  H extends Hold & {
    /** The session the hold lives on; holds sharing one are renewed by one `renew`. */
    readonly session: SharedSession;
  },
>(
  requests: readonly ExtendRequest<H>[],
  renew: (session: H['session']) => Promise<boolean>,
  move: (request: ExtendRequest<H>) => Promise<boolean>,
): Promise<boolean[]> {
  const bySession = new Map<H['session'], number[]>();
  const moves: number[] = [];
  requests.forEach(({ hold, ttlMs }, i) => {
    if (ttlMs > hold.session.grantedMs) moves.push(i);
    else bySession.set(hold.session, [...(bySession.get(hold.session) ?? []), i]);
  });
  const results = requests.map(() => false);
  await Promise.all([
    ...[...bySession].map(async ([session, indexes]) => {
      const alive = await renew(session);
      for (const i of indexes) results[i] = alive;
    }),
    ...moves.map(async (i) => {
      results[i] = await move(requests[i] as ExtendRequest<H>);
    }),
  ]);
  return results;
}
