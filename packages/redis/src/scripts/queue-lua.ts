/**
 * How long a token counter outlives its lock's TTL (ms): tokens stay strictly increasing even if
 * the server's clock steps back by less than this between two holders.
 */
export const COUNTER_GRACE_MS = 1_000;

/**
 * How far ahead of the server's clock a proposed token may be (µs) for the server to take it (see
 * TAKE_LUA): a wrong proposal can keep a counter alive at most this much longer.
 */
export const MAX_PROPOSAL_AHEAD_US = 100_000;

/**
 * Lua shared by the scripts. `TAKE_LUA` expects `lock` and `counter` in scope and defines
 * `take(holder, ttl, free, proposed)`: draws the next fencing token and SETs the lock to
 * `<holder>:<token>` with PX ttl; it returns the token as a decimal string and the server's time
 * in µs. With `free`, the SET is NX and nothing is written (nil is returned) when the lock exists:
 * the uncontended acquire takes a free lock without reading it first.
 *
 * A token is the server's time in µs (`TIME`), or the last token + 1 when that is not larger: so
 * tokens are strictly increasing while the counter lives, and never go back when it is gone (a
 * restart from an old RDB snapshot or without persistence, a failover to a replica that missed
 * the last writes), provided the server's clock (or the new primary's) is not behind the time the
 * last token was drawn. The counter therefore needs no permanent key: it expires a second after
 * the lock's TTL (later when tokens ran ahead of the clock, until the clock has caught up), and
 * extend refreshes it with the lock.
 *
 * `proposed` (Redlock): a larger token the caller would like, taken when it is at most
 * MAX_PROPOSAL_AHEAD_US ahead of the server's clock. A Redlock round proposes the same value, a
 * little ahead of every instance's clock, to all instances: they then draw the same token, and no
 * counter needs raising afterwards (a proposal that is not larger than what the instance would
 * draw changes nothing, so tokens keep every property above).
 */
export const TAKE_LUA = `
local function draw(proposed)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local n = now
  local last = tonumber(redis.call('GET', counter))
  if last and last >= n then n = last + 1 end
  if proposed and proposed > n and proposed <= now + ${MAX_PROPOSAL_AHEAD_US} then n = proposed end
  return string.format('%.0f', n), math.ceil((n - now) / 1000), now
end
local function take(holder, ttl, free, proposed)
  local token, ahead, now = draw(proposed)
  local ms = tonumber(ttl)
  if free then
    if not redis.call('SET', lock, holder .. ':' .. token, 'PX', ms, 'NX') then return nil end
  else
    redis.call('SET', lock, holder .. ':' .. token, 'PX', ms)
  end
  redis.call('SET', counter, token, 'PX', ms + ${COUNTER_GRACE_MS} + ahead)
  return token, now
end
`;

/**
 * Lua for the waiter queue. Expects `lock`, `counter`, `queue`, `waiters` in scope and `TAKE_LUA`
 * before it. Defines `now_us`, `now_ms` (the server's clock, never a client's) and:
 * - `live_head()`: drops expired entries from the front; returns the first live waiter id and its
 *   record (`<expiry ms> <ttl ms> <attempt n> <attempt time µs>`), or nil.
 * - `grant_head()`: hands the free lock straight to the live head, if any: takes it in the head's
 *   name with the head's TTL, dequeues it, and PUBLISHes `<id> <token> <attempt n> <µs since that
 *   attempt>` on the head's own client channel (waiter ids are `<client channel>/<n>`), so exactly
 *   one process wakes and it already holds the lock. Returns the head's id, or nil.
 */
export const QUEUE_LUA = `
local time = redis.call('TIME')
local now_us = tonumber(time[1]) * 1000000 + tonumber(time[2])
local now_ms = now_us / 1000
local function live_head()
  while true do
    local first = redis.call('ZRANGE', queue, 0, 0)[1]
    if not first then return nil end
    local record = redis.call('HGET', waiters, first)
    if record and tonumber(string.match(record, '^(%S+)')) > now_ms then return first, record end
    redis.call('ZREM', queue, first)
    redis.call('HDEL', waiters, first)
  end
end
local function grant_head()
  local head, record = live_head()
  if not head then return nil end
  local _, ttl, attempt, at_us = string.match(record, '^(%S+) (%S+) (%S+) (%S+)$')
  redis.call('ZREM', queue, head)
  redis.call('HDEL', waiters, head)
  local token = take(head, ttl)
  local slash = string.find(head, '/', 1, true)
  if slash then
    local elapsed = string.format('%.0f', math.max(0, now_us - tonumber(at_us)))
    redis.call('PUBLISH', string.sub(head, 1, slash - 1), head .. ' ' .. token .. ' ' .. attempt .. ' ' .. elapsed)
  end
  return head
end
`;

/** Lua: true when the lock value `v` belongs to holder `id` (values are `<id>:<token>`). */
export const OWNS_LUA = `
local function owns(v, id)
  return v and string.sub(v, 1, #id + 1) == id .. ':'
end
`;
