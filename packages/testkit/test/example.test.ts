import { describe, expect, it } from 'vitest';
import { main } from '../examples/basic.ts';
import { noLock, queueLock } from './fixtures/toy-locks.ts';

describe('the README example', () => {
  it('reports a correct lock as clean', async () => {
    expect(await main(() => queueLock())).toBe(
      'counter 100/100, overlaps 0, lost 0, stale writes accepted 0',
    );
  });

  it('sees a lock that excludes nothing overlap, while the fence keeps every increment', async () => {
    const line = await main(() => noLock());
    expect(line).toMatch(/overlaps [1-9]\d*, lost 0, stale writes accepted 0$/);
  });
});
