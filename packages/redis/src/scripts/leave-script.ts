import { defineScript } from './define-script.ts';
import { QUEUE_LUA } from './queue-lua.ts';

/*
 * leave — a waiter that gave up (timeout, abort, close) removes its queue entry, and passes the
 * turn on when it was the head of the queue while the lock is free.
 *
 * KEYS[1] lock     KEYS[2] queue (ZSET)     KEYS[3] waiters (HASH)
 * ARGV[1] waiter id
 *
 * Returns 1 when the waiter was queued, 0 otherwise.
 */
const LUA = `
local lock, queue, waiters = KEYS[1], KEYS[2], KEYS[3]
local id = ARGV[1]
local was_head = redis.call('ZRANGE', queue, 0, 0)[1] == id
local removed = redis.call('ZREM', queue, id)
redis.call('HDEL', waiters, id)
if was_head and redis.call('EXISTS', lock) == 0 then
  ${QUEUE_LUA}
  local head = live_head()
  if head then wake(head) end
end
return removed
`;

/** Arguments of {@link leaveScript}: the waiter id. */
export type LeaveArgs = readonly [id: string];

/** The leave script; resolves whether the waiter was queued. */
export const leaveScript = defineScript<LeaveArgs, boolean>('leave', LUA, (raw) => raw === 1);
