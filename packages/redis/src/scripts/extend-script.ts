import { defineScript } from './define-script.ts';
import { OWNS_LUA } from './queue-lua.ts';

/*
 * extend — set a new TTL on each lock that is still ours; one call renews many locks.
 *
 * KEYS[1..n] lock keys
 * ARGV[2i-1] holder id of KEYS[i]     ARGV[2i] new ttl ms of KEYS[i]
 *
 * Returns an array of n integers: 1 extended, 0 not ours any more (expired or taken).
 * Keys of one call must share a slot on a Redis Cluster; on a single server any keys may be mixed.
 */
const LUA = `
${OWNS_LUA}
local out = {}
for i = 1, #KEYS do
  local id = ARGV[2 * i - 1]
  if owns(redis.call('GET', KEYS[i]), id) then
    redis.call('PEXPIRE', KEYS[i], ARGV[2 * i])
    out[i] = 1
  else
    out[i] = 0
  end
end
return out
`;

/** Arguments of {@link extendScript}: (id, ttl ms) pairs, one per key. */
export type ExtendArgs = readonly (string | number)[];

/** The extend script; resolves one boolean per key. */
export const extendScript = defineScript<ExtendArgs, boolean[]>('extend', LUA, (raw) => {
  if (!Array.isArray(raw)) throw new Error(`extend: unexpected reply ${JSON.stringify(raw)}`);
  return raw.map((r) => r === 1);
});
