import { defineScript } from './define-script.ts';
import { OWNS_LUA } from './queue-lua.ts';

/*
 * redlock-release — delete the lock on one Redlock instance if it is ours, and PUBLISH '*' on the
 * channel named like the lock key (Redlock waiters, which never queue, listen there). Used for a
 * release and for the undo of a failed attempt alike. One key: Redlock has no queue to grant from.
 *
 * KEYS[1] lock     ARGV[1] holder id
 *
 * Returns 1 when the lock was ours and is now deleted, 0 otherwise (expired, or another holder's).
 */
const LUA = `
local lock, id = KEYS[1], ARGV[1]
${OWNS_LUA}
if not owns(redis.call('GET', lock), id) then return 0 end
redis.call('DEL', lock)
redis.call('PUBLISH', lock, '*')
return 1
`;

/** Arguments of {@link redlockReleaseScript}: the holder id. */
export type RedlockReleaseArgs = readonly [id: string];

/** The Redlock release script; resolves whether the lock was ours. */
export const redlockReleaseScript = defineScript<RedlockReleaseArgs, boolean>(
  'redlock-release',
  LUA,
  (raw) => raw === 1,
);
