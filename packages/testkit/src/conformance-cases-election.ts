import {
  BackendUnavailableError,
  type ElectionClient,
  InvalidArgumentError,
  type LeaderInfo,
  type Leadership,
  type LockClient,
  LockLostError,
} from '@locksmith/core';
import { sleep } from '@locksmith/core/protocol';
import { expect } from 'vitest';
import type { ConformanceCase } from './conformance-case.ts';
import { PROMPT_MS } from './conformance-cases-basic.ts';
import { abortedWithin, type CaseContext, outcome, suiteTtl, waitUntil } from './conformance-context.ts';
import { scaled } from './time-scale.ts';

/** Long enough that no leadership in these cases ends by its TTL. */
const LEADER_TTL = 10_000;
/** A leadership lost on purpose in these cases. */
const SHORT_TTL = 1_000;
/** Time for a candidacy to reach the backend's queue before the next one starts. */
const QUEUE_MS = 300;

/** The case's clients as election clients; skips the case where `'elect'` is not declared. */
async function electors(
  c: CaseContext,
  n: number,
  skip: (reason: string) => never,
): Promise<ElectionClient[]> {
  const clients: LockClient[] = [];
  for (let i = 0; i < n; i += 1) clients.push(await c.client());
  const primitives = clients[0]!.capabilities.primitives;
  if (!primitives.includes('elect'))
    skip(`capabilities.primitives is [${primitives.join(', ')}]: no 'elect'`);
  for (const client of clients) {
    if (typeof (client as Partial<ElectionClient>).elect !== 'function')
      throw new Error("'elect' is declared in capabilities.primitives, but the client has no elect()");
  }
  return clients as ElectionClient[];
}

/** Blocks the event loop for `ms`, as a GC pause or CPU starvation does: no timer can run. */
function blockEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

/** Whether `promise` has settled (after letting pending callbacks run). */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await sleep(0);
  return done;
}

/**
 * Leader election, where `capabilities.primitives` includes `'elect'`: one leader at a time,
 * terms that only increase, candidates that leave on abort, observers, and loss told first.
 */
export const electionCases: readonly ConformanceCase[] = [
  {
    title: 'elect: one leader at a time; each resign hands over to a waiting candidate with a larger term',
    timeoutMs: () => scaled(PROMPT_MS * 3),
    async run(c, skip) {
      const [a, b, d] = await electors(c, 3, skip);
      const name = c.key('election');
      const ttlMs = suiteTtl(c.options, LEADER_TTL);
      const first = await a!.elect(name, { value: 'a', ttlMs });
      expect(first).toMatchObject({ name, value: 'a', isLeader: true });
      expect(typeof first.term).toBe('bigint');
      const waiting = [b!.elect(name, { value: 'b', ttlMs }), d!.elect(name, { value: 'd', ttlMs })];
      await sleep(scaled(QUEUE_MS));
      expect(await settled(Promise.race(waiting)), 'a candidate led while another leader held').toBe(false);
      const leaders: Leadership[] = [first];
      for (let round = 0; round < 2; round += 1) {
        const current = leaders.at(-1)!;
        await current.resign();
        expect(current.isLeader).toBe(false);
        const next = await Promise.race(waiting.filter((_, i) => !leaders.some((l) => l.value === 'bd'[i])));
        expect(next.isLeader).toBe(true);
        for (const other of leaders) expect(other.isLeader, 'two leaders at once').toBe(false);
        expect(next.term > current.term, `term ${next.term} > ${current.term}`).toBe(true);
        leaders.push(next);
      }
      await leaders.at(-1)!.resign();
      const again = await a!.elect(name, { ttlMs });
      expect(again.term > leaders.at(-1)!.term, 'a later leader’s term is larger').toBe(true);
      await again[Symbol.asyncDispose]();
    },
  },
  {
    title: 'elect: aborting a waiting candidacy rejects with the reason and leaves the queue',
    timeoutMs: () => scaled(PROMPT_MS * 2),
    async run(c, skip) {
      const [a, b, d] = await electors(c, 3, skip);
      const name = c.key('election');
      const leader = await a!.elect(name);
      const controller = new AbortController();
      const reason = new Error('candidate withdrew');
      const withdrawn = outcome(b!.elect(name, { signal: controller.signal }));
      await sleep(scaled(QUEUE_MS));
      const next = d!.elect(name);
      await sleep(scaled(QUEUE_MS));
      controller.abort(reason);
      const result = await withdrawn;
      expect(result.ok ? undefined : result.error).toBe(reason);
      await leader.resign();
      // The withdrawn candidate, though queued ahead, is gone: the next one leads.
      const successor = await next;
      expect(successor.isLeader).toBe(true);
      await successor.resign();
    },
  },
  {
    title: 'observe: yields the current leader’s value and term, then each new leader; ends on abort',
    timeoutMs: () => scaled(PROMPT_MS * 2),
    async run(c, skip) {
      const [a, b, watcher] = await electors(c, 3, skip);
      const name = c.key('election');
      const first = await a!.elect(name, { value: 'leader-a' });
      const seen: LeaderInfo[] = [];
      const controller = new AbortController();
      const observing = (async () => {
        for await (const leader of watcher!.observe(name, { signal: controller.signal })) seen.push(leader);
      })();
      await waitUntil(() => seen.length >= 1, scaled(PROMPT_MS), 'the current leader observed');
      expect(seen[0]).toEqual({ value: 'leader-a', term: first.term });
      const pending = b!.elect(name, { value: 'leader-b' });
      await sleep(scaled(QUEUE_MS));
      await first.resign();
      const second = await pending;
      await waitUntil(() => seen.length >= 2, scaled(PROMPT_MS), 'the new leader observed');
      expect(seen[1]).toEqual({ value: 'leader-b', term: second.term });
      controller.abort();
      await observing; // returns, does not throw
      await second.resign();
    },
  },
  {
    title:
      'elect: a leader whose leadership the server ended (faults.loseLeadership) reads lost within its TTL; its resign never deposes the successor',
    timeoutMs: (o) => suiteTtl(o, SHORT_TTL) + scaled(PROMPT_MS * 2),
    async run(c, skip) {
      const [a, b] = await electors(c, 2, skip);
      const hook = c.options.faults?.loseLeadership;
      if (hook === undefined)
        throw new Error("options.faults.loseLeadership is missing: required where 'elect' is declared");
      c.errorsExpected = true;
      const name = c.key('election');
      const T = suiteTtl(c.options, SHORT_TTL);
      const old = await a!.elect(name, { ttlMs: T });
      const signal = old.signal;
      const next = b!.elect(name, { ttlMs: T });
      await sleep(scaled(QUEUE_MS));
      await hook(old);
      const endedAt = performance.now();
      const successor = await next;
      expect(successor.term > old.term, `term ${successor.term} > ${old.term}`).toBe(true);
      // No renewal sent after the server ended it succeeds: one TTL later it must read lost.
      await sleep(Math.max(0, endedAt + T + 1 - performance.now()));
      expect(old.isLeader, 'the old leader one TTL after the server ended its leadership').toBe(false);
      const reason = await abortedWithin(signal, scaled(PROMPT_MS), 'old leadership signal');
      expect(LockLostError.isInstance(reason), `aborted with ${String(reason)}`).toBe(true);
      await old.resign(); // resolves, and must not depose the successor
      expect(successor.isLeader).toBe(true);
      const third = await outcome(a!.elect(name, { signal: AbortSignal.timeout(scaled(QUEUE_MS)) }));
      expect(third.ok, 'the successor still leads after the old leader resigned').toBe(false);
      await successor.resign();
    },
  },
  {
    title: 'elect: a leader paused past its TTL reads lost by the time the next leader’s term has begun',
    timeoutMs: (o) => suiteTtl(o, SHORT_TTL) * 3 + scaled(PROMPT_MS * 2),
    async run(c, skip) {
      const [a, b] = await electors(c, 2, skip);
      c.errorsExpected = true;
      const name = c.key('election');
      const T = suiteTtl(c.options, SHORT_TTL);
      const old = await a!.elect(name, { ttlMs: T });
      const signal = old.signal;
      // The successor's TTL outlasts the pause (it shares this process); the leader's does not.
      const next = b!.elect(name, { ttlMs: suiteTtl(c.options, LEADER_TTL) });
      await sleep(scaled(QUEUE_MS));
      // A GC pause or a stopped VM: no renewal, no timer, while the server lets the lease lapse.
      blockEventLoop(T * 2 + 1_000);
      const successor = await next;
      // The contract: once another leader's term has begun, the old leader knows it lost.
      expect(old.isLeader, 'the old leader still reads leader while a new term began').toBe(false);
      expect(signal.aborted, 'the old leadership signal').toBe(true);
      expect(successor.term > old.term).toBe(true);
      await successor.resign();
    },
  },
  {
    title: 'elect/observe: bad names and options reject with InvalidArgumentError naming the argument',
    timeoutMs: () => scaled(PROMPT_MS),
    async run(c, skip) {
      const [a] = await electors(c, 1, skip);
      const name = c.key('election');
      const bad: [() => unknown, string][] = [
        [() => a!.elect(''), 'name'],
        [() => a!.elect(5 as unknown as string), 'name'],
        [() => a!.elect(name, { value: 5 as unknown as string }), 'options.value'],
        [() => a!.elect(name, { value: 'x'.repeat(5_000) }), 'options.value'],
        [() => a!.elect(name, { ttlMs: -1 }), 'options.ttlMs'],
        [() => a!.elect(name, { signal: 'no' as unknown as AbortSignal }), 'options.signal'],
        [() => a!.elect(name, { waitMs: 5 } as never), 'options'],
        [() => a!.observe(''), 'name'],
        [() => a!.observe(name, { signal: 1 as unknown as AbortSignal }), 'options.signal'],
      ];
      for (const [call, argument] of bad) {
        const result = await outcome(Promise.resolve().then(call));
        const error = result.ok ? undefined : result.error;
        expect(InvalidArgumentError.isInstance(error), `${argument}: ${String(error)}`).toBe(true);
        expect((error as InvalidArgumentError).message).toContain(argument);
      }
    },
  },
  {
    title: 'elect: close() rejects a waiting candidacy, ends observers and aborts the leadership signal',
    timeoutMs: () => scaled(PROMPT_MS * 2),
    async run(c, skip) {
      const [a, b] = await electors(c, 2, skip);
      const name = c.key('election');
      const leader = await a!.elect(name);
      const waiting = outcome(b!.elect(name));
      const seen: LeaderInfo[] = [];
      const observing = (async () => {
        for await (const l of b!.observe(name)) seen.push(l);
      })();
      await waitUntil(() => seen.length >= 1, scaled(PROMPT_MS), 'the leader observed');
      await b!.close();
      const result = await waiting;
      expect(!result.ok && BackendUnavailableError.isInstance(result.error), 'waiting candidacy').toBe(true);
      await observing;
      await a!.close();
      expect(leader.isLeader).toBe(false);
      expect(leader.signal.aborted).toBe(true);
    },
  },
];
