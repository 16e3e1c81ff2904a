import { expect, it } from 'vitest';
import { main } from '../examples/basic.ts';

it('the README example runs', async () => {
  expect(await main()).toEqual([
    'worker1 holds report:daily with token 1',
    'worker2 tries: busy',
    "worker2's turn with token 2",
    'state: t2.free',
  ]);
});
