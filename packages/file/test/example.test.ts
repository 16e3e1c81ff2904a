import { expect, it } from 'vitest';
import { main } from '../examples/basic.ts';

it('the README example runs', async () => {
  const log = await main();
  expect(log).toEqual([
    expect.stringMatching(/^worker1 holds report:daily with token \d+$/),
    'worker2 tries: busy',
    expect.stringMatching(/^worker2's turn with token \d+$/),
    expect.stringMatching(/^state: t\d+\.free$/),
  ]);
  const [first, second] = log.flatMap((line) => /token (\d+)$/.exec(line)?.[1] ?? []);
  expect(BigInt(second!)).toBeGreaterThan(BigInt(first!));
});
