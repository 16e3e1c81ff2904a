import { expect, it } from 'vitest';
import { main } from '../examples/basic.ts';

it('the README example runs', async () => {
  expect(await main()).toEqual([
    'held invoice:42 with token 1',
    'second try: busy',
    'withLock ran with token 2',
  ]);
});
