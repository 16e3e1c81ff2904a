// Redlock specifics on the launcher's five instances: a failed attempt leaves no partial keys
// (the known trap), a minority holder cannot stall everyone, and tokens are raised everywhere.
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisLockKeys, redisLocks } from '../src/index.ts';
import { probeIndex } from '../src/redlock/redlock-protocol.ts';
import { connect, REDLOCK_URLS, REQUIRED, skipFor, testPrefix } from './servers.ts';

const skip = await skipFor('redlock');
const prefix = testPrefix('redlock');
const opened: Redis[] = [];
afterAll(() => {
  for (const c of opened) c.disconnect();
});
const instances = skip
  ? []
  : REDLOCK_URLS.map((url) => {
      const c = connect(url);
      opened.push(c);
      return c;
    });

describe.skipIf(skip !== undefined && !REQUIRED)(
  `redlock: partial keys and tokens${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it('a failed attempt deletes the keys it set on every instance', async () => {
      if (skip) throw new Error(skip);
      const locks = redisLocks({ clients: instances, prefix });
      const k = redisLockKeys(prefix, 'partial');
      // Another holder has a majority (3 of 5); our attempt can win only the other two.
      await Promise.all(instances.slice(0, 3).map((c) => c.set(k.lock, 'someone-else:1', 'PX', 10_000)));
      expect(await locks.tryAcquire('partial')).toBeUndefined();
      const values = await Promise.all(instances.map((c) => c.get(k.lock)));
      expect(values).toEqual(['someone-else:1', 'someone-else:1', 'someone-else:1', null, null]);
      // The minority holder goes away: we win at once, not after its keys' TTL.
      await Promise.all(instances.slice(0, 3).map((c) => c.del(k.lock)));
      const lease = await locks.acquire('partial', { waitMs: 1_000 });
      expect(lease.held).toBe(true);
      await lease.release();
      await locks.close();
    });

    it('a stale key on the probe instance never stalls a woken waiter', async () => {
      if (skip) throw new Error(skip);
      const holder = redisLocks({ clients: instances, prefix });
      const waiter = redisLocks({ clients: instances, prefix });
      const k = redisLockKeys(prefix, 'stale-probe');
      // A key nobody will release sits on the instance woken waiters ask first, for a minute.
      const probe = instances[probeIndex(k.lock, instances.length)]!;
      await probe.set(k.lock, 'crashed-process:1', 'PX', 60_000);
      try {
        const held = await holder.acquire('stale-probe', { waitMs: 2_000 });
        const waiting = waiter.acquire('stale-probe', { waitMs: 4_000 });
        await new Promise((r) => setTimeout(r, 50));
        await held.release();
        // The release wakes the waiter; its probe is refused, but a full round wins the other four.
        const lease = await waiting;
        expect(lease.held).toBe(true);
        await lease.release();
      } finally {
        await probe.del(k.lock);
        await holder.close();
        await waiter.close();
      }
    });

    it('contending clients never leave each other stuck on split votes', async () => {
      if (skip) throw new Error(skip);
      const clients = [0, 1, 2, 3].map(() => redisLocks({ clients: instances, prefix }));
      let inside = 0;
      let overlaps = 0;
      await Promise.all(
        clients.map(async (c) => {
          for (let i = 0; i < 15; i += 1) {
            await c.withLock(
              'split',
              async () => {
                if (++inside > 1) overlaps += 1;
                await new Promise((r) => setTimeout(r, 1));
                inside -= 1;
              },
              { waitMs: 10_000 },
            );
          }
        }),
      );
      expect(overlaps).toBe(0);
      const k = redisLockKeys(prefix, 'split');
      expect(await Promise.all(instances.map((c) => c.exists(k.lock)))).toEqual([0, 0, 0, 0, 0]);
      await Promise.all(clients.map((c) => c.close()));
    });

    it('raises every instance’s token counter to the winning token, so tokens increase across holders', async () => {
      if (skip) throw new Error(skip);
      const locks = redisLocks({ clients: instances, prefix });
      const k = redisLockKeys(prefix, 'tokens');
      // Counters far apart, as after a restart of one instance.
      await Promise.all(instances.map((c, i) => c.set(k.token, String(1_000_000 * (i + 1)))));
      const first = await locks.acquire('tokens');
      // The largest counter among the (first) majority that answered: at least the 3rd largest.
      expect(first.token >= 3_000_001n).toBe(true);
      await first.release();
      await new Promise((r) => setTimeout(r, 50));
      const counters = await Promise.all(instances.map((c) => c.get(k.token)));
      expect(counters.every((v) => BigInt(v ?? '0') >= first.token)).toBe(true);
      // Even a holder that wins on the three instances with the lowest counters draws a larger token.
      await Promise.all(instances.slice(3).map((c) => c.set(k.lock, 'someone-else:1', 'PX', 10_000)));
      const second = await locks.acquire('tokens');
      expect(second.token > first.token).toBe(true);
      await second.release();
      await Promise.all(instances.slice(3).map((c) => c.del(k.lock)));
      await locks.close();
    });
  },
);
