import { expect, it } from 'vitest';
import { main } from '../examples/basic.ts';

it('the README example runs', () => {
  expect(main()).toEqual([
    'token 1 wrote 100',
    'token 2 wrote 200',
    'token 1 rejected (stale)',
    'token 2 wrote 250',
    'balance 250, highest token 2',
  ]);
});
