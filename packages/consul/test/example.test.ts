import { describe, expect, it } from 'vitest';
import { main } from '../examples/basic.ts';
import { CONSUL_ADDRS, REQUIRED, skipFor } from './servers.ts';

const skip = await skipFor();

describe.skipIf(skip !== undefined && !REQUIRED)(
  `examples/basic.ts${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it('runs and prints what the README shows', async () => {
      if (skip) throw new Error(skip);
      expect(await main(CONSUL_ADDRS[0])).toEqual([
        'held invoice:42',
        'second try while held: busy',
        'waiter took over with a larger token: true',
        'withLock ran (token is a bigint)',
      ]);
    });
  },
);
