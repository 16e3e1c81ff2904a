import { sleep } from '@locksmith/core/protocol';
import { expect } from 'vitest';
import type { ConformanceCase } from './conformance-case.ts';
import { PROMPT_MS } from './conformance-cases-basic.ts';
import { scaled } from './time-scale.ts';

const WAITERS = 4;
/** Between two waiters' starts: ample time for the first to be queued on a loaded machine. */
const SPACING_MS = 500;

/** Where `capabilities.fifo` is declared, waiters are granted the lock in the order they asked. */
export const fifoCases: readonly ConformanceCase[] = [
  {
    title: `FIFO where declared: ${WAITERS} waiters, started ${SPACING_MS} ms apart, are granted in arrival order`,
    timeoutMs: () => scaled(SPACING_MS) * WAITERS + scaled(PROMPT_MS * 2),
    async run(c, skip) {
      const holder = await c.client();
      if (!holder.capabilities.fifo) skip('capabilities.fifo is false: no grant order is promised');
      const key = c.key();
      const lease = await holder.acquire(key);
      const waiters = await Promise.all(Array.from({ length: WAITERS }, () => c.client()));
      const granted: number[] = [];
      const done = waiters.map(async (client, i) => {
        await sleep(scaled(SPACING_MS) * i);
        const mine = await client.acquire(key, { waitMs: scaled(SPACING_MS) * WAITERS + scaled(PROMPT_MS) });
        granted.push(i);
        await mine.release();
      });
      await sleep(scaled(SPACING_MS) * WAITERS);
      await lease.release();
      await Promise.all(done);
      expect(granted, 'grant order').toEqual(Array.from({ length: WAITERS }, (_, i) => i));
    },
  },
];
