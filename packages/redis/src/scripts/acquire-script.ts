import { defineScript } from './define-script.ts';
import { QUEUE_LUA } from './queue-lua.ts';

/*
 * acquire — take the lock if it is free and it is our turn; otherwise queue up (when waiting).
 *
 * KEYS[1] lock     KEYS[2] token counter     KEYS[3] queue (ZSET)     KEYS[4] waiters (HASH)
 * ARGV[1] holder id        ARGV[2] ttl ms     ARGV[3] '1' = wait (enqueue), '0' = try once
 * ARGV[4] cap ms: the longest retry delay to hand back (the client's poll interval)
 * ARGV[5] grace ms: how long past its retry time a queued waiter keeps its place
 *
 * Returns {1, token} when held (token as a decimal string), or {0, retry ms}: when to try again
 * at the latest (the holder's remaining TTL, or the time the queue's head expires, capped by ARGV[4]).
 *
 * It is our turn when the queue is empty or we are its live head. A resent request that already
 * won (the reply was lost with the connection) finds its own value and returns the same token.
 * Tokens: the counter never expires; when it is missing (new key, or Redis lost its data) it is
 * seeded with the server's time in µs, so tokens still increase across a restart without persistence
 * unless the server's clock went back. The common case (free, nobody queued) reads no clock and
 * touches no queue: GET, EXISTS, INCR, SET.
 */
const LUA = `
local lock, counter, queue, waiters = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id = ARGV[1]
local current = redis.call('GET', lock)
if current and string.sub(current, 1, #id + 1) == id .. ':' then return {1, string.sub(current, #id + 2)} end

local function take()
  local n = redis.call('INCR', counter)
  if n == 1 then
    -- The counter was missing (new lock, or Redis lost its data): start at the server's time in µs.
    local t = redis.call('TIME')
    n = redis.call('INCRBY', counter, string.format('%.0f', tonumber(t[1]) * 1000000 + tonumber(t[2])))
  end
  local token = string.format('%.0f', n)
  redis.call('SET', lock, id .. ':' .. token, 'PX', ARGV[2])
  return {1, token}
end

-- Fast path: free and nobody queued (no clock read, no queue work).
if not current and redis.call('EXISTS', queue) == 0 then return take() end

local wait, cap, grace = ARGV[3] == '1', tonumber(ARGV[4]), tonumber(ARGV[5])
${QUEUE_LUA}
local function enqueue(retry)
  if not wait then return end
  redis.call('ZADD', queue, 'NX', string.format('%.0f', now_us), id)
  local keep = retry + grace
  redis.call('HSET', waiters, id, string.format('%.3f', now_ms + keep))
  if redis.call('PTTL', queue) < keep then
    redis.call('PEXPIRE', queue, keep)
    redis.call('PEXPIRE', waiters, keep)
  end
end

if not current then
  local head, expiry = live_head()
  if head == nil or head == id then
    if head == id then
      redis.call('ZREM', queue, id)
      redis.call('HDEL', waiters, id)
    end
    return take()
  end
  -- Free, but another waiter's turn. It may not know (the lock expired without a release): tell it.
  wake(head)
  local retry = math.max(1, math.min(cap, math.ceil(expiry - now_ms)))
  enqueue(retry)
  return {0, retry}
end

local pttl = redis.call('PTTL', lock)
local retry = cap
if pttl > 0 and pttl < cap then retry = pttl end
enqueue(retry)
return {0, retry}
`;

/** Arguments of {@link acquireScript}: id, ttl, wait flag, cap, grace. */
export type AcquireArgs = readonly [id: string, ttlMs: number, wait: '0' | '1', capMs: number, graceMs: number];

/** Reply of {@link acquireScript}. */
export type AcquireReply = { readonly held: true; readonly token: bigint } | { readonly held: false; readonly retryMs: number };

/** The acquire script; see the header comment for keys, arguments and reply. */
export const acquireScript = defineScript<AcquireArgs, AcquireReply>('acquire', LUA, (raw) => {
  if (!Array.isArray(raw) || raw.length !== 2) throw new Error(`acquire: unexpected reply ${JSON.stringify(raw)}`);
  const [held, value] = raw as [unknown, unknown];
  if (held === 1) return { held: true, token: BigInt(String(value)) };
  return { held: false, retryMs: Number(value) };
});
