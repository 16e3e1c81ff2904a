import { defineScript } from './define-script.ts';
import { COUNTER_GRACE_MS } from './queue-lua.ts';

/*
 * raise-token — raise a token counter to at least a value (Redlock: after winning with token T,
 * every instance's counter is raised to T, so the next holder, whose majority overlaps ours in
 * at least one instance, draws a larger token there).
 *
 * KEYS[1] token counter
 * ARGV[1] the value (decimal integer below 2^53)     ARGV[2] the lock's ttl ms
 *
 * Returns 1 when the counter was raised, 0 when it was already at least the value. A raised
 * counter expires like one the acquire script set (see TAKE_LUA): COUNTER_GRACE_MS past the lock's
 * TTL, and later by as much as the value is ahead of this server's clock; never sooner than it
 * would have.
 */
const LUA = `
local counter, value = KEYS[1], tonumber(ARGV[1])
local current = tonumber(redis.call('GET', counter) or '0')
if current >= value then return 0 end
local t = redis.call('TIME')
local ahead = math.max(0, math.ceil((value - (tonumber(t[1]) * 1000000 + tonumber(t[2]))) / 1000))
local keep = math.max(redis.call('PTTL', counter), tonumber(ARGV[2]) + ${COUNTER_GRACE_MS} + ahead)
redis.call('SET', counter, ARGV[1], 'PX', keep)
return 1
`;

/** Arguments of {@link raiseTokenScript}: the value as a decimal string, the lock's TTL. */
export type RaiseTokenArgs = readonly [value: string, ttlMs: number];

/** The raise-token script; resolves whether the counter was raised. */
export const raiseTokenScript = defineScript<RaiseTokenArgs, boolean>('raise-token', LUA, (raw) => raw === 1);
