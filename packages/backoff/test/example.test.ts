import { expect, it } from 'vitest';
import { main } from '../examples/basic.ts';

it('the README example runs', async () => {
  expect(await main()).toEqual(['taken on attempt 3', 'after waitMs: undefined', 'aborted: TimeoutError']);
});
