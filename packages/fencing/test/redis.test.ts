// The Lua recipe against a real Redis: atomicity and the token comparison happen in the server.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../examples/redis.ts';
import { fencedRedisSet, fencedSetScript } from '../src/index.ts';
import { address, REDIS_URL, REQUIRE_BACKENDS, reachable, shuffledTokens, uniqueName } from './backends.ts';

const where = address(REDIS_URL, 6379);
const up = await reachable(REDIS_URL, 6379);

// Unreachable: the suite is skipped with the reason in its title, or, with
// LOCKSMITH_REQUIRE_BACKENDS=1 (CI), a failing test says which server is missing.
if (REQUIRE_BACKENDS && !up) {
  it(`Redis answers at ${where} (LOCKSMITH_REQUIRE_BACKENDS=1)`, () => {
    expect.fail(`no Redis at ${where}: start it (pnpm backends up) or set LOCKSMITH_REDIS_URL`);
  });
}

describe.skipIf(!up)(
  `fencedRedisSet on Redis${up ? '' : ` (skipped: no Redis at ${where}; set LOCKSMITH_REDIS_URL)`}`,
  () => {
    const prefix = uniqueName('locksmith:test:fencing');
    let redis: Redis;
    const keys = (name: string) => ({
      valueKey: `{${prefix}:${name}}:value`,
      fenceKey: `{${prefix}:${name}}:fence`,
    });

    beforeAll(() => {
      redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    });
    afterAll(async () => {
      if (!redis) return;
      const left = await redis.keys(`{${prefix}:*`);
      if (left.length > 0) await redis.del(...left);
      await redis.quit();
    });

    it('writes with a higher or equal token and refuses a stale one, leaving the value as it was', async () => {
      const k = keys('basic');
      const set = (token: bigint, value: string) => fencedRedisSet(redis, { ...k, token, value });
      expect(await set(0n, 'zero')).toBe(true);
      expect(await set(5n, 'five')).toBe(true);
      expect(await set(5n, 'five again')).toBe(true);
      expect(await set(4n, 'stale')).toBe(false);
      expect([await redis.get(k.valueKey), await redis.get(k.fenceKey)]).toEqual(['five again', '5']);
    });

    it('compares tokens exactly beyond 2^53 and across digit counts', async () => {
      const k = keys('big');
      const set = (token: bigint) => fencedRedisSet(redis, { ...k, token, value: token.toString() });
      expect(await set(9n)).toBe(true);
      expect(await set(10n)).toBe(true);
      expect(await set(9n)).toBe(false);
      expect(await set(2n ** 53n + 1n)).toBe(true);
      // As Lua numbers, 2^53 and 2^53 + 1 are equal: a numeric comparison would accept this stale write.
      expect(await set(2n ** 53n)).toBe(false);
      expect(await set(2n ** 100n)).toBe(true);
      expect(await set(2n ** 100n - 1n)).toBe(false);
      expect(await redis.get(k.fenceKey)).toBe((2n ** 100n).toString());
    });

    it('with concurrent writers, the highest token always lands and is the final state', async () => {
      const k = keys('race');
      const tokens = shuffledTokens(40);
      const results = await Promise.all(
        tokens.map((token) => fencedRedisSet(redis, { ...k, token, value: `w${token}` })),
      );
      expect(results[tokens.indexOf(40n)]).toBe(true);
      expect([await redis.get(k.valueKey), await redis.get(k.fenceKey)]).toEqual(['w40', '40']);
    });

    it('the raw script refuses a token that is not a canonical decimal', async () => {
      const k = keys('raw');
      for (const token of ['-1', '1.5', '007', 'x', '']) {
        await expect(redis.eval(fencedSetScript, 2, k.valueKey, k.fenceKey, token, 'v')).rejects.toThrow(
          /fence token/,
        );
      }
      expect(await redis.exists(k.valueKey, k.fenceKey)).toBe(0);
    });

    it('the README example runs', async () => {
      expect(await main(redis, `${prefix}:example`)).toEqual([
        'token 7 → sent: written',
        'token 8 → paid: written',
        'token 7 → cancelled: rejected (stale)',
        'value: paid, fence 8',
      ]);
    });
  },
);
