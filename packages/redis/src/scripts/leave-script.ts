import { defineScript } from './define-script.ts';
import { OWNS_LUA, QUEUE_LUA, TAKE_LUA } from './queue-lua.ts';

/*
 * leave — a waiter that gave up (timeout, abort, close) removes its queue entry. If the lock was
 * granted to it in the meantime, it releases it; either way, a free lock goes to the next waiter.
 *
 * KEYS[1] lock     KEYS[2] token counter     KEYS[3] queue (ZSET)     KEYS[4] waiters (HASH)
 * ARGV[1] waiter id
 *
 * Returns 1 when the waiter was queued or held a granted lock, 0 otherwise.
 */
const LUA = `
local lock, counter, queue, waiters = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id = ARGV[1]
${OWNS_LUA}
local removed = redis.call('ZREM', queue, id)
redis.call('HDEL', waiters, id)
if owns(redis.call('GET', lock), id) then
  redis.call('DEL', lock)
  removed = 1
end
if redis.call('EXISTS', lock) == 0 and redis.call('EXISTS', queue) == 1 then
  ${TAKE_LUA}
  ${QUEUE_LUA}
  grant_head()
end
return removed
`;

/** Arguments of {@link leaveScript}: the waiter id. */
export type LeaveArgs = readonly [id: string];

/** The leave script; resolves whether the waiter was queued (or held a granted lock). */
export const leaveScript = defineScript<LeaveArgs, boolean>('leave', LUA, (raw) => raw === 1);
