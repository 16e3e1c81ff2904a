import { defineScript } from './define-script.ts';

/*
 * raise-token — raise a token counter to at least a value (Redlock: after winning with token T,
 * every instance's counter is raised to T, so the next holder, whose majority overlaps ours in
 * at least one instance, draws a larger token there).
 *
 * KEYS[1] token counter
 * ARGV[1] the value (decimal integer below 2^53)
 *
 * Returns 1 when the counter was raised, 0 when it was already at least the value.
 */
const LUA = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
return 1
`;

/** Arguments of {@link raiseTokenScript}: the value as a decimal string. */
export type RaiseTokenArgs = readonly [value: string];

/** The raise-token script; resolves whether the counter was raised. */
export const raiseTokenScript = defineScript<RaiseTokenArgs, boolean>('raise-token', LUA, (raw) => raw === 1);
