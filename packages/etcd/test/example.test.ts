import { describe, expect, it } from 'vitest';
import { main } from '../examples/basic.ts';
import { main as election } from '../examples/election.ts';
import { ETCD_ENDPOINTS, REQUIRED, skipFor } from './servers.ts';

const skip = await skipFor();

describe.skipIf(skip !== undefined && !REQUIRED)(
  `examples/basic.ts${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it('runs and prints what the README shows', async () => {
      if (skip) throw new Error(skip);
      expect(await main(ETCD_ENDPOINTS)).toEqual([
        'held invoice:42',
        'second try while held: busy',
        'waiter took over with a larger token: true',
        'withLock ran (token is a bigint)',
      ]);
    });

    it('examples/election.ts runs and prints what the README shows', async () => {
      if (skip) throw new Error(skip);
      expect(await election(ETCD_ENDPOINTS)).toEqual([
        'replica-1 leads',
        'wrote plan from replica-1',
        'replica-2 leads with a larger term: true',
        'wrote plan from replica-2',
        'refused late plan from replica-1 (stale term)',
        'observed: replica-1, replica-2',
      ]);
    }, 30_000);
  },
);
