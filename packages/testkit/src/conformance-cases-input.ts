import { InvalidArgumentError, type LockClient } from '@locksmith/core';
import { describeValue } from '@locksmith/core/protocol';
import * as fc from 'fast-check';
import { expect } from 'vitest';
import type { ConformanceCase } from './conformance-case.ts';
import { PROMPT_MS } from './conformance-cases-basic.ts';
import { outcome, within } from './conformance-context.ts';
import { scaled } from './time-scale.ts';

type Call = (client: LockClient, key: unknown, options?: unknown) => Promise<unknown>;

// The cast is the point: bad input arrives from untyped callers.
const CALLS: Record<string, Call> = {
  acquire: (client, key, options) => client.acquire(key as string, options as never),
  tryAcquire: (client, key, options) => client.tryAcquire(key as string, options as never),
  withLock: (client, key, options) => client.withLock(key as string, () => undefined, options as never),
};

/** Rejections this many ms after the call count as "before any I/O": the key is held, so I/O would wait. */
const REJECT_MS = 5_000;

async function expectInvalid(attempt: Promise<unknown>, argument: string, what: string): Promise<void> {
  const result = await within(
    outcome(attempt),
    scaled(REJECT_MS),
    `${what} (a bad input must reject before waiting)`,
  );
  const error = result.ok ? undefined : result.error;
  expect(InvalidArgumentError.isInstance(error), `${what}: rejected with ${String(error)}`).toBe(true);
  expect((error as InvalidArgumentError).argument, what).toBe(argument);
  expect((error as InvalidArgumentError).message, what).toContain(argument);
}

const badKeys: readonly [string, unknown][] = [
  ['empty', ''],
  ['513 bytes', 'k'.repeat(513)],
  ['514 UTF-8 bytes in 257 characters', 'é'.repeat(257)],
  ['NUL', 'a\u0000b'],
  ['number', 42],
  ['undefined', undefined],
  ['null', null],
];

const badOptions: readonly [string, unknown, string][] = [
  ...[-5, 0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10', 2 ** 31].map(
    (v) => [`ttlMs ${String(v)}`, { ttlMs: v }, 'options.ttlMs'] as [string, unknown, string],
  ),
  ...[-1, 1.5, Number.NaN, Number.NEGATIVE_INFINITY, '10'].map(
    (v) => [`waitMs ${String(v)}`, { waitMs: v }, 'options.waitMs'] as [string, unknown, string],
  ),
  ['autoRenew "yes"', { autoRenew: 'yes' }, 'options.autoRenew'],
  ['signal {}', { signal: {} }, 'options.signal'],
  ['signal "x"', { signal: 'x' }, 'options.signal'],
  ['unknown option ttl', { ttl: 10 }, 'options.ttl'],
  ['options a string', 'fast', 'options'],
  ['options null', null, 'options'],
  ['options an array', [], 'options'],
];

const KNOWN_OPTIONS = new Set(['ttlMs', 'autoRenew', 'waitMs', 'signal']);

/** Bad input gets InvalidArgumentError naming the argument, before any I/O. */
export const inputCases: readonly ConformanceCase[] = [
  {
    title: 'bad keys and options reject with InvalidArgumentError naming the argument, before any I/O',
    timeoutMs: () => scaled(PROMPT_MS * 6),
    async run(c) {
      const [a, b, d] = [await c.client(), await c.client(), await c.client()];
      const key = c.key();
      const held = await b.acquire(key); // any I/O by a bad call would now wait for ever
      for (const [name, call] of Object.entries(CALLS)) {
        for (const [what, bad] of badKeys)
          await expectInvalid(call(a, bad), 'key', `${name} with key ${what}`);
        for (const [what, bad, argument] of badOptions)
          await expectInvalid(call(a, key, bad), argument, `${name} with ${what}`);
      }
      for (const fn of [undefined, null, 'fn', 42, {}]) {
        await expectInvalid(a.withLock(key, fn as never), 'fn', `withLock with fn ${String(fn)}`);
      }
      const own = await a.acquire(c.key('own'));
      for (const ttl of [-5, 0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10']) {
        await expectInvalid(own.extend(ttl as number), 'ttlMs', `lease.extend(${String(ttl)})`);
      }
      expect(own.held).toBe(true);
      await own.release();
      await held.release();
      const after = await d.tryAcquire(key);
      expect(after, 'no bad call took the key').toBeDefined();
      await after?.release();
    },
  },
  {
    title:
      'property: random bad keys and options always reject with InvalidArgumentError naming the argument',
    timeoutMs: () => scaled(PROMPT_MS * 6),
    async run(c) {
      const [a, b] = [await c.client(), await c.client()];
      const key = c.key();
      const held = await b.acquire(key);
      const call = fc.constantFrom(...Object.keys(CALLS));
      const badKey = fc.oneof(
        fc.constant(''),
        fc.string({ minLength: 513, maxLength: 600 }),
        fc
          .string({ unit: 'grapheme', minLength: 200, maxLength: 300 })
          .filter((s) => new TextEncoder().encode(s).length > 512),
        fc.tuple(fc.string(), fc.string()).map(([x, y]) => `${x}\u0000${y}`),
        fc.oneof(
          fc.integer(),
          fc.boolean(),
          fc.constant(null),
          fc.constant(undefined),
          fc.object(),
          fc.bigInt(),
        ),
      );
      const notPositiveInteger = fc.oneof(
        fc.integer({ max: 0 }),
        fc.double().filter((x) => !Number.isInteger(x) || x > 2 ** 31 - 1),
        fc.string(),
        fc.boolean(),
        fc.constant(null),
      );
      const badOption = fc.oneof(
        notPositiveInteger.map((v) => [{ ttlMs: v }, 'options.ttlMs'] as const),
        fc
          .oneof(
            fc.integer({ max: -1 }),
            fc.double().filter((x) => x < 0 || (!Number.isInteger(x) && x !== Infinity)),
            fc.string(),
          )
          .map((v) => [{ waitMs: v }, 'options.waitMs'] as const),
        fc
          .oneof(fc.integer(), fc.string(), fc.constant(null))
          .map((v) => [{ autoRenew: v }, 'options.autoRenew'] as const),
        fc
          .oneof(fc.object(), fc.string(), fc.integer())
          .map((v) => [{ signal: v }, 'options.signal'] as const),
        fc
          .string({ minLength: 1 })
          .filter((name) => !KNOWN_OPTIONS.has(name))
          .map((name) => [{ [name]: 1 }, `options.${name}`] as const),
      );
      await fc.assert(
        fc.asyncProperty(call, badKey, async (name, bad) => {
          await expectInvalid(CALLS[name]!(a, bad), 'key', `${name} with key ${describeValue(bad)}`);
        }),
        { numRuns: 100 },
      );
      await fc.assert(
        fc.asyncProperty(call, badOption, async (name, [options, argument]) => {
          await expectInvalid(CALLS[name]!(a, key, options), argument, `${name} with ${argument}`);
        }),
        { numRuns: 100 },
      );
      await held.release();
    },
  },
];
