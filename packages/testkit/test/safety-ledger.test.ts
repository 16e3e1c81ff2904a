import { describe, expect, it } from 'vitest';
import { type SafetyFence, SafetyLedger } from '../src/safety-ledger.ts';

/** The fence contract the checker relies on: accept a token at least the highest seen, and record it. */
function highestFence(): SafetyFence {
  const highest = new Map<string, bigint>();
  return {
    async accept(resource, token) {
      const seen = highest.get(resource);
      if (seen !== undefined && token < seen) return false;
      highest.set(resource, token);
      return true;
    },
  };
}

describe('SafetyLedger', () => {
  it('counts clean sequential increments', async () => {
    const ledger = new SafetyLedger('r', highestFence());
    for (let token = 1n; token <= 3n; token += 1n) {
      ledger.enter(`${token}`);
      const read = await ledger.read(token);
      if (!read.ok) throw new Error('read rejected');
      expect(await ledger.write(token, read.value + 1, read.version)).toBe(true);
      ledger.exit(`${token}`);
    }
    expect(ledger.counts()).toEqual({
      counter: 3,
      writesAccepted: 3,
      incrementsLost: 0,
      overlaps: 0,
      maxConcurrent: 1,
      staleReadsRejected: 0,
      staleWritesRejected: 0,
      staleWritesAccepted: 0,
    });
  });

  it('without a fence, an interleaved read-modify-write is accepted stale and loses an increment', async () => {
    const ledger = new SafetyLedger('r', undefined);
    ledger.enter('old');
    const old = await ledger.read(1n);
    ledger.enter('new');
    const fresh = await ledger.read(2n);
    if (!old.ok || !fresh.ok) throw new Error('unfenced reads are never rejected');
    await ledger.write(2n, fresh.value + 1, fresh.version);
    await ledger.write(1n, old.value + 1, old.version);
    expect(ledger.counts()).toMatchObject({
      counter: 1,
      writesAccepted: 2,
      incrementsLost: 1,
      overlaps: 1,
      staleWritesAccepted: 1,
    });
  });

  it('with a fence, the older holder’s write after a newer read is rejected and nothing is lost', async () => {
    const ledger = new SafetyLedger('r', highestFence());
    const old = await ledger.read(1n);
    const fresh = await ledger.read(2n);
    if (!old.ok || !fresh.ok) throw new Error('both reads are in token order');
    expect(await ledger.write(1n, old.value + 1, old.version)).toBe(false);
    expect(await ledger.write(2n, fresh.value + 1, fresh.version)).toBe(true);
    expect(ledger.counts()).toMatchObject({
      counter: 1,
      writesAccepted: 1,
      incrementsLost: 0,
      staleWritesRejected: 1,
      staleWritesAccepted: 0,
    });
  });

  it('a stale holder’s read is rejected once a newer token touched the counter', async () => {
    const ledger = new SafetyLedger('r', highestFence());
    await ledger.read(5n);
    expect((await ledger.read(4n)).ok).toBe(false);
    expect(ledger.counts().staleReadsRejected).toBe(1);
  });

  it('a fence that accepts equal tokens from two holders lets a stale write through, and the ledger says so', async () => {
    const ledger = new SafetyLedger('r', highestFence());
    const a = await ledger.read(7n);
    const b = await ledger.read(7n);
    if (!a.ok || !b.ok) throw new Error('equal tokens pass');
    await ledger.write(7n, b.value + 1, b.version);
    await ledger.write(7n, a.value + 1, a.version);
    expect(ledger.counts()).toMatchObject({ staleWritesAccepted: 1, incrementsLost: 1 });
  });
});
