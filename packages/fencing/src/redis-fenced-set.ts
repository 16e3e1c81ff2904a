import { InvalidArgumentError } from '@locksmith/core';
import { validateOptionsObject } from '@locksmith/core/protocol';
import { validateName, validateToken } from './fence-store.ts';

/**
 * Lua for a fenced Redis write. `KEYS[1]` = value key, `KEYS[2]` = fence key; `ARGV[1]` = token as
 * a decimal string, `ARGV[2]` = value. Sets the value and records the token when the token is ≥ the
 * recorded one; returns 1 when accepted, 0 when stale. Tokens are compared as decimal strings (length
 * first), so they stay exact beyond 2^53, where Lua's numbers would round. In Redis Cluster, give
 * both keys one hash tag (`{invoice:42}:value`, `{invoice:42}:fence`).
 */
export const fencedSetScript = `local token = ARGV[1]
if not string.match(token, '^%d+$') or (#token > 1 and string.sub(token, 1, 1) == '0') then
  return redis.error_reply('fence token must be a non-negative integer without leading zeros')
end
local seen = redis.call('GET', KEYS[2])
if seen and (#token < #seen or (#token == #seen and token < seen)) then
  return 0
end
redis.call('SET', KEYS[2], token)
redis.call('SET', KEYS[1], ARGV[2])
return 1
`;

/**
 * The smallest client {@link fencedRedisSet} needs: ioredis's `Redis` and `Cluster` fit it. For
 * node-redis, wrap it: `{ eval: (s, n, ...a) => client.eval(s, { keys: a.slice(0, n), arguments: a.slice(n) }) }`.
 */
export interface RedisEvalClient {
  /** `EVAL script numKeys ...keysThenArgs`, as ioredis and node-redis (legacy mode) call it. */
  eval(script: string, numKeys: number, ...args: string[]): Promise<unknown>;
}

/** Options of {@link fencedRedisSet}. */
export interface FencedRedisSetOptions {
  /** Key the value is written to. */
  readonly valueKey: string;
  /** Key holding the highest token accepted for the value; must differ from `valueKey`. */
  readonly fenceKey: string;
  /** The writer's fencing token (`lease.token`), ≥ 0. */
  readonly token: bigint;
  /** The value to write. */
  readonly value: string;
}

/**
 * Writes `value` to `valueKey` if, and only if, `token` is not stale, in one atomic script
 * ({@link fencedSetScript}).
 *
 * @example
 * ```ts
 * const ok = await fencedRedisSet(redis, {
 *   valueKey: '{invoice:42}:status', fenceKey: '{invoice:42}:fence', token: lease.token, value: 'paid',
 * });
 * ```
 * @returns `true` when written; `false` when a higher token was already recorded.
 * @throws InvalidArgumentError (as a rejection, before any command) naming the bad argument; the
 * client's own error, unchanged, when the command fails.
 */
export async function fencedRedisSet(
  client: RedisEvalClient,
  options: FencedRedisSetOptions,
): Promise<boolean> {
  if (typeof client !== 'object' || client === null || typeof client.eval !== 'function') {
    throw new InvalidArgumentError(
      'client',
      'must have an eval(script, numKeys, ...args) method (an ioredis client)',
    );
  }
  if (options === undefined)
    throw new InvalidArgumentError('options', 'is required ({ valueKey, fenceKey, token, value })');
  const o = validateOptionsObject<FencedRedisSetOptions>('options', options, [
    'valueKey',
    'fenceKey',
    'token',
    'value',
  ]);
  const valueKey = validateName('options.valueKey', o.valueKey);
  const fenceKey = validateName('options.fenceKey', o.fenceKey);
  if (fenceKey === valueKey)
    throw new InvalidArgumentError('options.fenceKey', 'must differ from options.valueKey');
  const token = validateToken('options.token', o.token);
  if (typeof o.value !== 'string') {
    throw new InvalidArgumentError(
      'options.value',
      `must be a string (got ${o.value === null ? 'null' : typeof o.value})`,
    );
  }
  const result = await client.eval(fencedSetScript, 2, valueKey, fenceKey, token.toString(), o.value);
  return result === 1;
}
