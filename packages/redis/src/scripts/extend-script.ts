import { defineScript } from './define-script.ts';
import { COUNTER_GRACE_MS, OWNS_LUA } from './queue-lua.ts';

/*
 * extend — set a new TTL on each lock that is still ours; one call renews many locks. The lock's
 * token counter is kept at least COUNTER_GRACE_MS past the lock (see TAKE_LUA), never shortened.
 *
 * KEYS[2i-1] lock key i     KEYS[2i] its token counter
 * ARGV[2i-1] holder id of lock i     ARGV[2i] new ttl ms of lock i
 *
 * Returns an array of n = #KEYS / 2 integers: 1 extended, 0 not ours any more (expired or taken).
 * Keys of one call must share a slot on a Redis Cluster; on a single server any keys may be mixed.
 */
const LUA = `
${OWNS_LUA}
local out = {}
for i = 1, #KEYS / 2 do
  local lock, counter, id, ttl = KEYS[2 * i - 1], KEYS[2 * i], ARGV[2 * i - 1], tonumber(ARGV[2 * i])
  if owns(redis.call('GET', lock), id) then
    redis.call('PEXPIRE', lock, ttl)
    if redis.call('PTTL', counter) < ttl + ${COUNTER_GRACE_MS} then
      redis.call('PEXPIRE', counter, ttl + ${COUNTER_GRACE_MS})
    end
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
