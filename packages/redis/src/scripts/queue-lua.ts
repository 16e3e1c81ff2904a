/**
 * Lua shared by the scripts that read the waiter queue. Expects `queue`, `waiters` (key names) in
 * scope and defines `now_us`, `now_ms` (the server's clock: never a client's), `live_head()`,
 * which drops expired entries from the front and returns the first live waiter id (or nil) and
 * its expiry, and `wake(id)`, which publishes `id` on its client's channel: waiter ids are
 * `<client channel>/<n>`, so a release wakes exactly one process, not every subscriber of the key.
 */
export const QUEUE_LUA = `
local time = redis.call('TIME')
local now_us = tonumber(time[1]) * 1000000 + tonumber(time[2])
local now_ms = now_us / 1000
local function live_head()
  while true do
    local first = redis.call('ZRANGE', queue, 0, 0)[1]
    if not first then return nil, 0 end
    local expiry = tonumber(redis.call('HGET', waiters, first))
    if expiry and expiry > now_ms then return first, expiry end
    redis.call('ZREM', queue, first)
    redis.call('HDEL', waiters, first)
  end
end
local function wake(id)
  local slash = string.find(id, '/', 1, true)
  if slash then redis.call('PUBLISH', string.sub(id, 1, slash - 1), id) end
end
`;

/** Lua: true when the lock value `v` belongs to holder `id` (values are `<id>:<token>`). */
export const OWNS_LUA = `
local function owns(v, id)
  return v and string.sub(v, 1, #id + 1) == id .. ':'
end
`;
