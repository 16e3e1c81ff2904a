import { defineScript } from './define-script.ts';
import { QUEUE_LUA, TAKE_LUA } from './queue-lua.ts';

/*
 * release — delete the lock if we hold it, and hand it to the next waiter.
 *
 * KEYS[1] lock     KEYS[2] token counter     KEYS[3] queue (ZSET)     KEYS[4] waiters (HASH)
 * ARGV[1] holder id
 * ARGV[2] '0' = silent (a failed Redlock attempt undoing itself); '1' = grant the lock to the next
 *         live waiter, if any; '2' = the same, or publish '*' on the channel named like the lock
 *         key when nobody is queued (Redlock waiters, which never queue, listen there)
 *
 * Returns 1 when the lock was ours and is now released, 0 otherwise (expired, or another holder's).
 * The grant (see QUEUE_LUA's grant_head) wakes only the new holder's process, which needs no
 * further round trip: the handoff costs this one script call.
 */
const LUA = `
local lock, counter, queue, waiters = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id, notify = ARGV[1], ARGV[2]
local v = redis.call('GET', lock)
if not (v and string.sub(v, 1, #id + 1) == id .. ':') then return 0 end
redis.call('DEL', lock)
if notify == '0' then return 1 end
if redis.call('EXISTS', queue) == 1 then
  ${TAKE_LUA}
  ${QUEUE_LUA}
  if grant_head() then return 1 end
end
if notify == '2' then redis.call('PUBLISH', lock, '*') end
return 1
`;

/** Arguments of {@link releaseScript}: id, notify mode. */
export type ReleaseArgs = readonly [id: string, notify: '0' | '1' | '2'];

/** The release script; resolves whether the lock was ours. */
export const releaseScript = defineScript<ReleaseArgs, boolean>('release', LUA, (raw) => raw === 1);
