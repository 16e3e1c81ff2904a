import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../examples/basic.ts';
import { connect, dropSchema, POSTGRES_URL, REQUIRED, skipFor, testPrefix } from './servers.ts';

const skip = await skipFor();
const prefix = testPrefix('example');
afterAll(async () => {
  if (skip) return;
  const admin = connect(1);
  await dropSchema(admin, prefix);
  await admin.end();
});

describe.skipIf(skip !== undefined && !REQUIRED)(
  `examples/basic.ts${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it('runs and prints what the README shows', async () => {
      if (skip) throw new Error(skip);
      expect(await main(POSTGRES_URL, prefix)).toEqual([
        'held invoice:42',
        'second try while held: busy',
        'waiter took over with a larger token: true',
        'withLock ran (token is a bigint)',
        'lease mode holds it too: true',
      ]);
    });
  },
);
