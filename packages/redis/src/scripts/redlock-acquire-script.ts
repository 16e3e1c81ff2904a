import { type AcquireReply, parseAcquireReply } from './acquire-script.ts';
import { defineScript } from './define-script.ts';
import { OWNS_LUA, TAKE_LUA } from './queue-lua.ts';

/*
 * redlock-acquire — take the lock on one Redlock instance if it is free. Redlock never queues, so
 * unlike `acquire` this reads no queue and is given two keys, not four: each key is sent to every
 * instance on every try, and bytes on the wire cost CPU on both ends.
 *
 * KEYS[1] lock     KEYS[2] token counter
 * ARGV[1] holder id     ARGV[2] ttl ms     ARGV[3] cap ms: the longest retry delay to hand back
 * ARGV[4] proposed token, see TAKE_LUA ('0': none, but still report the time)
 *
 * Returns {1, token, ttl, server time µs} when taken; {1, token, pttl} when the lock already holds
 * this id (a resent request already won); or {0, retry ms, holder}: the holder's remaining TTL
 * capped by ARGV[3], and the lock's value (Redlock tells a lock changing hands from one that stays
 * put by it).
 */
const LUA = `
local lock, counter = KEYS[1], KEYS[2]
local id, ttl = ARGV[1], ARGV[2]
${TAKE_LUA}
${OWNS_LUA}
local token, now = take(id, ttl, true, tonumber(ARGV[4]))
if token then return {1, token, tonumber(ttl), string.format('%.0f', now)} end
local current = redis.call('GET', lock)
if owns(current, id) then return {1, string.sub(current, #id + 2), redis.call('PTTL', lock)} end
local retry, pttl = tonumber(ARGV[3]), redis.call('PTTL', lock)
if pttl > 0 and pttl < retry then retry = pttl end
return {0, retry, current}
`;

/** Arguments of {@link redlockAcquireScript}: id, ttl, cap, proposed token. */
export type RedlockAcquireArgs = readonly [id: string, ttlMs: number, capMs: number, proposed: string];

/** The Redlock acquire script; see the header comment for keys, arguments and reply. */
export const redlockAcquireScript = defineScript<RedlockAcquireArgs, AcquireReply>(
  'redlock-acquire',
  LUA,
  (raw) => parseAcquireReply('redlock-acquire', raw),
);
