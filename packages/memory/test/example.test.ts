import { expect, it } from 'vitest';
import { main } from '../examples/basic.ts';

it('the README example runs', async () => {
  expect(await main()).toEqual([
    'alice holds invoice:42 with token 1',
    'bob tries: busy',
    "bob's turn with token 2",
  ]);
});
