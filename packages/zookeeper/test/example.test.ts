import { describe, expect, it } from 'vitest';
import { main } from '../examples/basic.ts';
import { REQUIRED, skipFor, ZOOKEEPER_HOSTS } from './servers.ts';

const skip = await skipFor();

describe.skipIf(skip !== undefined && !REQUIRED)(
  `examples/basic.ts${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it('runs and prints what the README shows', async () => {
      if (skip) throw new Error(skip);
      expect(await main(ZOOKEEPER_HOSTS)).toEqual([
        'held invoice:42',
        'second try while held: busy',
        'waiter took over with a larger token: true',
        'withLock ran (token is a bigint)',
      ]);
    });
  },
);
