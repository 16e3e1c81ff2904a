import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileLocks } from '@locksmith/file';

/**
 * Two clients on one lock directory, as two processes on one host would be (each process makes
 * its own `fileLocks({ dir })`). The second waits, polling, until the first releases.
 */
export async function main(): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'locksmith-example-'));
  const worker1 = fileLocks({ dir });
  const worker2 = fileLocks({ dir, pollMs: 50 });
  const log: string[] = [];
  try {
    const lease = await worker1.acquire('report:daily', { ttlMs: 10_000 });
    log.push(`worker1 holds report:daily with token ${lease.token}`);
    log.push(
      `worker2 tries: ${(await worker2.tryAcquire('report:daily')) === undefined ? 'busy' : 'got it'}`,
    );

    const turn = worker2.withLock('report:daily', (next) =>
      log.push(`worker2's turn with token ${next.token}`),
    );
    await lease.release(); // worker2 notices at its next poll (≤ 50 ms)
    await turn;

    const [keyDir] = await readdir(dir);
    log.push(`state: ${(await readdir(join(dir, keyDir!))).join()}`);
  } finally {
    await Promise.all([worker1.close(), worker2.close()]);
    await rm(dir, { recursive: true, force: true });
  }
  return log;
}
