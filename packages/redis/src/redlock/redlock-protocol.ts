import { type BackoffSequence, type BackoffStrategy, exponential } from '@locksmith/backoff';
import { BackendUnavailableError, type Capabilities, LockLostError } from '@locksmith/core';
import {
  type AcquireRequest,
  Cleanups,
  type ExtendRequest,
  type Hold,
  type LockAttempt,
  type LockProtocol,
} from '@locksmith/core/protocol';
import type { RedisInstance } from '../redis-instance.ts';
import { type RedisLockKeys, redisLockKeys } from '../redis-keys.ts';
import { newHolderId, type ProtocolSettings } from '../redis-protocol.ts';
import type { Wakeable } from '../redis-wakeups.ts';
import type { AcquireReply } from '../scripts/acquire-script.ts';
import { gather, type Reply } from './gather.ts';
import { quorum, redlockToken, type Tally, type VoteOutcome, validityMs, voteOutcome } from './quorum.ts';

/** A lock held on a majority of the Redlock instances. */
export interface RedlockHold extends Hold {
  readonly id: string;
  readonly keys: RedisLockKeys;
  /** Indexes of the instances believed to hold the key (shrinks on a lost connection or a "no"). */
  readonly holders: Set<number>;
  /**
   * Instances a release of this hold was sent to: after its acquire, on the same connection, so
   * it runs after it even when that acquire's reply comes late.
   */
  releasedOn?: Set<number>;
}

/** Settings of Redlock on top of the shared ones. */
export interface RedlockSettings extends ProtocolSettings {
  /** Clock-drift margin, as a fraction of the TTL plus a fixed part (same as the lease keeper's). */
  readonly driftFactor: number;
  readonly driftMs: number;
}

type Attempt =
  | { readonly hold: RedlockHold }
  | {
      readonly retryMs: number | undefined;
      /** Set when only the probe instance was asked and it said no: the value of its key there. */
      readonly refusedBy?: string;
    };

/** How long after a refused try this client's next acquire of the key starts with a probe. */
const CONTENDED_MEMORY_MS = 1_000;
/** Keys remembered as contended, at most (the memory is dropped whole beyond it). */
const CONTENDED_KEYS = 1_024;

/** Probes refused in a row by the same holder, without a release heard, before a full round. */
const MAX_SAME_REFUSALS = 3;

/**
 * How far ahead of the instances' clocks (as the last round saw them) a round proposes its token.
 * It covers the round's spread (a probe, then the others one round trip later) and the instances'
 * clock differences; a round that outruns it only costs the raise-token calls it would anyway.
 */
const PROPOSAL_MARGIN_MS = 10;

/** The instance a woken waiter asks first: one per lock key, the same in every process (exported for tests). */
export function probeIndex(lockKey: string, n: number): number {
  let h = 0;
  for (let i = 0; i < lockKey.length; i += 1) h = (h * 31 + lockKey.charCodeAt(i)) >>> 0;
  return h % n;
}

/** How long one round waits for slow instances: a tenth of the TTL, within [20 ms, 1 s]. */
export function roundTimeoutMs(ttlMs: number): number {
  return Math.min(1_000, Math.max(20, Math.floor(ttlMs / 10)));
}

function tally<T>(replies: readonly Reply<T>[], yes: (value: T) => boolean): Tally {
  const t = { yes: 0, no: 0, failed: 0, pending: 0 };
  for (const r of replies) {
    if (r.state === 'ok') t[yes(r.value) ? 'yes' : 'no'] += 1;
    else t[r.state] += 1;
  }
  return t;
}

/**
 * Redlock over N independent Redis servers: the single-instance scripts run on every instance
 * with the same holder id; a lock is won with a majority within its validity time. A failed
 * attempt deletes what it set on every instance before it retries or gives up. Waiters do not
 * queue (queues on N servers can disagree and stall each other); they wake on any instance's
 * release message and retry with jittered exponential backoff.
 */
export class RedlockProtocol implements LockProtocol<RedlockHold> {
  readonly backend = 'redlock';
  readonly capabilities: Capabilities = {
    fencing: 'best-effort',
    wait: 'push',
    fifo: false,
    primitives: ['lock'],
  };
  readonly #instances: readonly RedisInstance[];
  readonly #settings: RedlockSettings;
  readonly #retries: BackoffStrategy;
  readonly #holds = new Set<RedlockHold>();
  readonly #cleanups: Cleanups;
  /** Lock key → when a try of this client last found it held (see CONTENDED_MEMORY_MS). */
  readonly #contended = new Map<string, number>();
  #report: ((hold: RedlockHold, error: LockLostError) => void) | undefined;
  readonly #stopLossWatch: (() => void)[] = [];
  /** Largest `server µs − local ms × 1000` the last round that drew tokens saw (see #proposal). */
  #serverOffsetUs: number | undefined;

  constructor(instances: readonly RedisInstance[], settings: RedlockSettings) {
    this.#instances = instances;
    this.#settings = settings;
    this.#cleanups = new Cleanups(settings.clock);
    this.#retries = exponential({ baseMs: 4, capMs: Math.max(4, settings.pollIntervalMs), jitter: 'full' });
  }

  /** Holds this client tracks for loss reports (for tests and diagnostics: it must not grow). */
  get holdCount(): number {
    return this.#holds.size;
  }

  /**
   * One acquire on core's wait loop. Each try is a Redlock round; a waiter then sleeps a jittered
   * exponential backoff step (at most until a majority's holder expires), cut short when any
   * instance publishes a release of the key.
   *
   * Every waiter hears the same release. A waiter's retries first ask only the key's probe
   * instance (the same one in every process): the one that wins it goes on to the others, the rest
   * hear "no" for one command and wait for the next release, instead of all sending N acquires,
   * splitting the votes and undoing N keys. A key stuck on the probe instance (a stale key while
   * a majority elsewhere is free, a release that did not reach it) never stalls anyone: a probe
   * refused by the same holder after a release was heard goes on to a full round at once, and
   * after {@link MAX_SAME_REFUSALS} such refusals without a release (a holder that crashed) so does
   * the next try.
   */
  attempt(key: string, { ttlMs, wait }: AcquireRequest): LockAttempt<RedlockHold> {
    const keys = redisLockKeys(this.#settings.prefix, key);
    let waiters: Wakeable[] | undefined;
    let delays: BackoffSequence | undefined;
    let triedSubscribing = false;
    /** Value of the key on the probe instance at the last refused probe, and how often in a row. */
    let refusedBy: string | undefined;
    let sameRefusals = 0;
    let pushed = false;
    const probe = probeIndex(keys.lock, this.#instances.length);
    const closeWaiters = () => {
      for (const w of waiters ?? []) w.close();
    };
    return {
      take: async () => {
        for (const w of waiters ?? []) w.clear();
        const sentAt = this.#settings.clock.now();
        // A full round: a try-once (it must see a free majority), a first try (unless this client
        // lately found the key held: then it would split the votes with the waiter that just won
        // the probe instance), and a try after a long same refusal. Other tries probe.
        const full =
          !wait ||
          sameRefusals >= MAX_SAME_REFUSALS ||
          (waiters === undefined && !this.#recentlyContended(keys.lock));
        const stuckIf = pushed ? refusedBy : undefined;
        pushed = false;
        const result = await this.#attempt(key, keys, ttlMs, full ? undefined : { index: probe, stuckIf });
        if ('hold' in result) {
          closeWaiters();
          return result;
        }
        if (!wait) return { retryMs: 0 };
        if (this.#contended.size >= CONTENDED_KEYS) this.#contended.clear();
        this.#contended.set(keys.lock, this.#settings.clock.now());
        if (result.refusedBy === undefined) {
          sameRefusals = 0;
          refusedBy = undefined;
        } else {
          sameRefusals = result.refusedBy === refusedBy ? sameRefusals + 1 : 0;
          refusedBy = result.refusedBy;
        }
        waiters ??= this.#instances.map((instance) => instance.wakeups.register(keys.lock, '', true, sentAt));
        delays ??= this.#retries.start();
        if (!triedSubscribing && !waiters.every((w) => w.isSubscribed)) {
          // A release before our SUBSCRIBEs take effect goes unheard: once subscribed, try again.
          triedSubscribing = true;
          await Promise.all(waiters.map((w) => w.subscribe()));
          return { retryMs: 0 };
        }
        // Retries probe: the probe instance's release is the one worth waking for (the others'
        // would find it still held, or wake everyone up to N times per release). Every instance's
        // when the probe instance is down or unsubscribed.
        const probeWaiter = waiters[probe];
        const wakers = probeWaiter?.isSubscribed && this.#instances[probe]?.up ? [probeWaiter] : waiters;
        const wake = Promise.race(wakers.map((w) => w.next())).then(() => {
          pushed = true;
        });
        return { retryMs: Math.min(delays.nextDelay(), result.retryMs ?? Number.POSITIVE_INFINITY), wake };
      },
      leave: async (late) => {
        closeWaiters();
        // A round that won as the caller gave up: release it (a lost round undid itself).
        if (late) this.#cleanups.run(() => this.release(late));
      },
    };
  }

  async release(hold: RedlockHold): Promise<boolean> {
    this.#holds.delete(hold);
    const sentAt = this.#settings.clock.now();
    const releasedOn = new Set<number>();
    hold.releasedOn = releasedOn;
    const { replies } = await gather(
      this.#instances.length,
      (i) => {
        const instance = this.#up(i);
        if (instance === undefined) return undefined;
        releasedOn.add(i);
        return instance.redlockRelease(hold.keys, hold.id);
      },
      () => false,
      roundTimeoutMs(hold.ttlMs),
    );
    replies.forEach((r, i) => {
      if (r.state !== 'ok') this.#releaseLater(i, hold.keys, hold.id, sentAt + hold.ttlMs);
    });
    if (replies.every((r) => r.state !== 'ok')) {
      throw new BackendUnavailableError(this.backend, `release of "${hold.key}": no instance answered`);
    }
    return replies.some((r) => r.state === 'ok' && r.value);
  }

  async extend(requests: readonly ExtendRequest<RedlockHold>[]): Promise<boolean[]> {
    const n = this.#instances.length;
    const batch = requests.map(({ hold, ttlMs }) => ({ keys: hold.keys, id: hold.id, ttlMs }));
    const allDecided = (replies: readonly Reply<boolean[]>[]) =>
      requests.every(
        (_, j) =>
          voteOutcome(
            tally(replies, (v) => v[j] === true),
            n,
          ) !== 'pending',
      );
    const timeout = roundTimeoutMs(Math.min(...requests.map((r) => r.ttlMs)));
    const { replies } = await gather(n, (i) => this.#up(i)?.extend(batch), allDecided, timeout);
    const outcomes = requests.map(({ hold }, j) => {
      const outcome = voteOutcome(
        tally(replies, (v) => v[j] === true),
        n,
      );
      replies.forEach((r, i) => {
        if (r.state === 'ok') {
          if (r.value[j] === true) hold.holders.add(i);
          else hold.holders.delete(i);
        }
      });
      return outcome;
    });
    const decided = (o: VoteOutcome) => o === 'won' || o === 'lost';
    // Nothing decided (too few instances answered): the keeper retries the batch until deadlines.
    if (!outcomes.some(decided)) {
      throw new BackendUnavailableError(this.backend, 'extend: no majority of instances answered');
    }
    // Each lease on its own: those with a majority are extended whatever the others' fate. One
    // still undecided while others were decided by the same replies has lost its key on some of
    // the instances that answered: it is reported lost (unreachable) now, instead of making the
    // whole batch fail until every lease in it runs out.
    return outcomes.map((outcome, j) => {
      if (outcome === 'won') return true;
      const { hold } = requests[j]!;
      this.#holds.delete(hold);
      if (!decided(outcome)) this.#report?.(hold, new LockLostError(hold.key, 'unreachable'));
      return false;
    });
  }

  onLoss(report: (hold: RedlockHold, error: LockLostError) => void): void {
    this.#report = report;
    const need = quorum(this.#instances.length);
    this.#instances.forEach((instance, i) => {
      const stop = instance.onConnectionLost(() => {
        for (const hold of [...this.#holds]) {
          hold.holders.delete(i);
          if (hold.holders.size < need) {
            this.#holds.delete(hold);
            report(hold, new LockLostError(hold.key, 'unreachable'));
          }
        }
      });
      this.#stopLossWatch.push(stop);
    });
  }

  async close(): Promise<void> {
    await this.#cleanups.settle(this.#settings.closeTimeoutMs);
    for (const stop of this.#stopLossWatch) stop();
    for (const instance of this.#instances) instance.close();
  }

  /**
   * Releases `id`'s key on instance `index` in the background, retried until `until` (when the key
   * has expired anyway): for an instance that was down, refused or did not answer in the round,
   * which may still hold the key (its reply, or the release itself, was lost).
   */
  #releaseLater(index: number, keys: RedisLockKeys, id: string, until: number): void {
    const instance = this.#instances[index];
    if (instance) this.#cleanups.run(() => instance.redlockRelease(keys, id), until);
  }

  /**
   * The token a round sent at `sentAt` proposes to every instance: a little ahead of the latest
   * server time the last round saw, so that each instance, unless its counter or clock is already
   * past it, draws exactly this token. The winner's token is then every holder's, and no counter
   * needs a raise-token call after the win (4 commands of 14 per uncontended acquire+release on 5
   * instances). '0' (no proposal yet, or the instances' clocks are unknown) still asks for their time.
   */
  #proposal(sentAt: number): string {
    const offset = this.#serverOffsetUs;
    return offset === undefined ? '0' : String(Math.ceil((sentAt + PROPOSAL_MARGIN_MS) * 1000 + offset));
  }

  /** Updates the server clock estimate from a round's replies that drew a token. */
  #learnServerClocks(replies: readonly Reply<AcquireReply>[], sentAt: number): void {
    let offset: number | undefined;
    for (const r of replies) {
      if (r.state !== 'ok' || !r.value.held || r.value.serverUs === undefined) continue;
      // Paired with the send time, not the reply's arrival: errs on the side of a later proposal.
      const seen = r.value.serverUs - sentAt * 1000;
      if (offset === undefined || seen > offset) offset = seen;
    }
    if (offset !== undefined) this.#serverOffsetUs = offset;
  }

  #recentlyContended(lockKey: string): boolean {
    const at = this.#contended.get(lockKey);
    return at !== undefined && this.#settings.clock.now() - at < CONTENDED_MEMORY_MS;
  }

  #up(index: number): RedisInstance | undefined {
    const instance = this.#instances[index];
    return instance?.up ? instance : undefined;
  }

  /**
   * One Redlock round: acquire everywhere, keep a majority won within validity, else undo. With
   * `probe`, instance `probe.index` is asked alone first: a "no" there from a known holder other
   * than `probe.stuckIf` ends the round (`refusedBy`, nothing to undo); otherwise (a yes, an error,
   * a stuck or unknown holder) the round goes on to the others, timed from the probe's send.
   */
  async #attempt(
    key: string,
    keys: RedisLockKeys,
    ttlMs: number,
    probe?: { readonly index: number; readonly stuckIf: string | undefined },
  ): Promise<Attempt> {
    const { clock, pollIntervalMs, driftFactor, driftMs } = this.#settings;
    const n = this.#instances.length;
    const id = newHolderId();
    const sentAt = clock.now();
    const held = (r: AcquireReply) => r.held;
    const proposed = this.#proposal(sentAt);
    const acquire = (i: number) => this.#up(i)?.redlockAcquire(keys, id, ttlMs, pollIntervalMs, proposed);
    let first: Promise<AcquireReply> | undefined;
    if (probe !== undefined) {
      first = acquire(probe.index);
      // A failed probe (down, error) may still have taken the key: the round goes on and undoes it.
      const reply = await first?.catch(() => undefined);
      if (reply && !reply.held && reply.holder !== undefined && reply.holder !== probe.stuckIf)
        return { retryMs: reply.retryMs, refusedBy: reply.holder };
    }
    const { replies, calls } = await gather(
      n,
      (i) => (i === probe?.index && first ? first : acquire(i)),
      (rs) => voteOutcome(tally(rs, held), n) !== 'pending',
      roundTimeoutMs(ttlMs),
    );
    this.#learnServerClocks(replies, sentAt);
    const won = voteOutcome(tally(replies, held), n) === 'won';
    if (won && validityMs(ttlMs, clock.now() - sentAt, driftFactor, driftMs) > 0) {
      const holders = new Set<number>();
      const tokens: bigint[] = [];
      replies.forEach((r, i) => {
        if (r.state === 'ok' && r.value.held) {
          holders.add(i);
          tokens.push(r.value.token);
        }
      });
      const hold: RedlockHold = { key, keys, id, holders, token: redlockToken(tokens), sentAt, ttlMs };
      this.#holds.add(hold);
      // Bring every counter that is behind up to our token. Sent before any release of ours on
      // each connection, so the next holder (whose majority shares an instance with ours) draws a
      // larger token. Counters that drew our token already need nothing (the steady state).
      replies.forEach((r, i) => {
        const instance = this.#instances[i];
        const behind = r.state === 'ok' ? !r.value.held || r.value.token < hold.token : r.state === 'failed';
        if (behind && instance?.up) this.#cleanups.run(() => instance.raiseToken(keys, hold.token, ttlMs));
      });
      // Replies still out: count a late "yes" while the hold lives, undo it otherwise.
      calls.forEach((call, i) => {
        if (replies[i]?.state !== 'pending' || !call) return;
        call.then(
          (r) => {
            const instance = this.#instances[i]!;
            if (!r.held || r.token < hold.token)
              this.#cleanups.run(() => instance.raiseToken(keys, hold.token, ttlMs));
            if (!r.held) return;
            if (this.#holds.has(hold)) hold.holders.add(i);
            // Released meanwhile: that release, sent after this acquire, deletes the key there.
            else if (!hold.releasedOn?.has(i)) this.#releaseLater(i, keys, id, sentAt + ttlMs);
          },
          () => undefined,
        );
      });
      return { hold };
    }
    // Lost (or won too late): delete what this attempt set before going on, on every instance
    // that did not plainly refuse (a "no" set nothing; a failed or pending call may have set it).
    // Each delete of a key that was ours publishes, as a release does: waiters wait for the probe
    // instance's message, and one that lost its probe to us must hear that it is free again.
    // A delete sent on the connection of a pending acquire runs after it, so nothing is left behind.
    const refused = (i: number) => {
      const tried = replies[i];
      return tried?.state === 'ok' && !tried.value.held;
    };
    const { replies: undone } = await gather(
      n,
      (i) => (refused(i) ? Promise.resolve(false) : this.#up(i)?.redlockRelease(keys, id)),
      () => false,
      roundTimeoutMs(ttlMs),
    );
    undone.forEach((r, i) => {
      if (r.state !== 'ok' && !refused(i)) this.#releaseLater(i, keys, id, sentAt + ttlMs);
    });
    const retries = replies
      .flatMap((r) => (r.state === 'ok' && !r.value.held ? [r.value.retryMs] : []))
      .sort((a, b) => a - b);
    return { retryMs: retries[quorum(n) - 1] };
  }
}
