// A release another client saw complete must not look busy to a tryAcquire through another server.
// ZooKeeper serves reads from the connected server, which may not have applied the delete yet (reads
// are not linearizable across sessions): a "busy" answer must come from a read the leader caught up.
import { afterAll, describe, expect, it } from 'vitest';
import { zookeeperLocks } from '../src/index.ts';
import { connect, REQUIRED, skipFor, type TestZooKeeper, testPrefix, ZOOKEEPER_HOSTS } from './servers.ts';

const skip = await skipFor();
const prefix = testPrefix('release-visible');
const clients: TestZooKeeper[] = [];
afterAll(() => {
  for (const c of clients) c.close();
});

describe.skipIf(skip !== undefined && !REQUIRED)(
  `tryAcquire right after another client's release${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it('finds the key free when the holder and the taker use different servers (200 rounds)', {
      timeout: 120_000,
    }, async () => {
      if (skip) throw new Error(skip);
      const [first, second] = ZOOKEEPER_HOSTS.split(',');
      if (first === undefined || second === undefined)
        throw new Error(`two servers needed: ${ZOOKEEPER_HOSTS}`);
      const [a, b] = [await connect({ hosts: first }), await connect({ hosts: second })];
      clients.push(a, b);
      const [holder, taker] = [zookeeperLocks({ client: a, prefix }), zookeeperLocks({ client: b, prefix })];
      let busy = 0;
      for (let round = 0; round < 200; round++) {
        const key = `k${round % 4}`;
        const lease = await holder.acquire(key);
        await lease.release();
        const taken = await taker.tryAcquire(key);
        if (taken === undefined) busy += 1;
        else await taken.release();
      }
      expect(busy, 'tryAcquire calls that found a released key busy').toBe(0);
      await Promise.all([holder.close(), taker.close()]);
    });
  },
);
