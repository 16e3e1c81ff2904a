import { createMemorySpace, memoryLocks } from '@locksmith/memory';

/** Two clients on one space contend for the same keys; the waiter gets the key on release. */
export async function main(): Promise<string[]> {
  const space = createMemorySpace(); // omit `space` to share the process-wide one
  const alice = memoryLocks({ space });
  const bob = memoryLocks({ space });
  const log: string[] = [];

  const lease = await alice.acquire('invoice:42', { ttlMs: 10_000 });
  log.push(`alice holds invoice:42 with token ${lease.token}`);
  log.push(`bob tries: ${(await bob.tryAcquire('invoice:42')) === undefined ? 'busy' : 'got it'}`);

  const bobTurn = bob.withLock('invoice:42', (next) => log.push(`bob's turn with token ${next.token}`));
  await lease.release(); // hands the key straight to bob, the first in line
  await bobTurn;

  await Promise.all([alice.close(), bob.close()]);
  return log;
}
