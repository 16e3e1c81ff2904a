import { describe, expect, it } from 'vitest';
import { main } from '../examples/basic.ts';
import { MYSQL_URL, REQUIRED, skipFor } from './servers.ts';

const skip = await skipFor();

describe.skipIf(skip !== undefined && !REQUIRED)(
  `examples/basic.ts${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it('runs and prints what the README shows', async () => {
      if (skip) throw new Error(skip);
      expect(await main(MYSQL_URL)).toEqual([
        'held invoice:42',
        'second try while held: busy',
        'waiter took over with a larger token: true',
        'lease mode withLock ran (token is a bigint)',
      ]);
    });
  },
);
