import { describe, expect, it } from 'vitest';
import { consulLockKey } from '../src/consul-keys.ts';
import { lockOps, releaseOps, takeRefusal } from '../src/consul-ops.ts';
import { minimumTtlSeconds, sessionSeconds } from '../src/consul-session.ts';

describe('transactions', () => {
  it('a take locks the key for the session and reads it back (the token is that read’s ModifyIndex)', () => {
    expect(lockOps('p/k', 'dg==', 's1').map((op) => op.KV.Verb)).toEqual(['lock', 'get']);
  });

  it('a release deletes the key only while the session holds it', () => {
    expect(releaseOps('p/k', 's1')).toEqual([
      { KV: { Verb: 'check-session', Key: 'p/k', Session: 's1' } },
      { KV: { Verb: 'delete', Key: 'p/k' } },
    ]);
  });

  it.each([
    ['failed to lock key "p/k": already held', 'held'],
    ['failed to lock key "p/k" due to lock delay', 'lock-delay'],
    ['invalid session "abc"', 'session'],
    ['missing session', 'session'],
  ] as const)('reads the refusal %j as %s', (what, refusal) => {
    expect(takeRefusal([what])).toBe(refusal);
  });
});

describe('sessions and keys', () => {
  it('a session covers the TTL in whole seconds, at least 1', () => {
    expect([sessionSeconds(1), sessionSeconds(1000), sessionSeconds(1001), sessionSeconds(30_000)]).toEqual([
      1, 1, 2, 30,
    ]);
  });

  it('reads the server’s minimum session TTL from its refusal', () => {
    expect(minimumTtlSeconds("Invalid Session TTL '1000000000', must be between [10s=24h0m0s]")).toBe(10);
    expect(minimumTtlSeconds('Invalid Session TTL, must be between [1m0s=24h0m0s]')).toBe(60);
    expect(minimumTtlSeconds('Invalid Session TTL, must be between [1.5s=24h0m0s]')).toBe(2);
    expect(minimumTtlSeconds('something else')).toBeUndefined();
  });

  it('encodes the lock key so that "a/b" is not nested under "a"', () => {
    expect(consulLockKey('p', 'a')).toBe('p/a');
    expect(consulLockKey('p', 'a/b')).toBe('p/a%2Fb');
  });
});
