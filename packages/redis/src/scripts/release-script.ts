import { defineScript } from './define-script.ts';
import { OWNS_LUA, QUEUE_LUA } from './queue-lua.ts';

/*
 * release — delete the lock if we hold it, then wake exactly one waiter.
 *
 * KEYS[1] lock     KEYS[2] queue (ZSET)     KEYS[3] waiters (HASH)
 * ARGV[1] holder id     ARGV[2] '1' = publish a wake-up, '0' = silent (a failed Redlock attempt)
 *
 * Returns 1 when the lock was ours and is now deleted, 0 otherwise (expired, or another holder's).
 * The wake-up is a PUBLISH on the channel named like the lock key: the message is the id of the
 * next live waiter (only that waiter tries again), or '*' when nobody is queued (any waiter may
 * try: Redlock waiters, which never queue).
 */
const LUA = `
local lock, queue, waiters = KEYS[1], KEYS[2], KEYS[3]
local id, notify = ARGV[1], ARGV[2] == '1'
${OWNS_LUA}
if not owns(redis.call('GET', lock), id) then return 0 end
redis.call('DEL', lock)
if notify then
  ${QUEUE_LUA}
  local head = live_head()
  redis.call('PUBLISH', lock, head or '*')
end
return 1
`;

/** Arguments of {@link releaseScript}: id, notify flag. */
export type ReleaseArgs = readonly [id: string, notify: '0' | '1'];

/** The release script; resolves whether the lock was ours. */
export const releaseScript = defineScript<ReleaseArgs, boolean>('release', LUA, (raw) => raw === 1);
