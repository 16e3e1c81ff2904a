import { defineScript } from './define-script.ts';
import { QUEUE_LUA, TAKE_LUA } from './queue-lua.ts';

/*
 * acquire — take the lock if it is free and it is our turn; otherwise queue up (when waiting).
 *
 * KEYS[1] lock     KEYS[2] token counter     KEYS[3] queue (ZSET)     KEYS[4] waiters (HASH)
 * ARGV[1] holder id        ARGV[2] ttl ms     ARGV[3] '1' = wait (enqueue), '0' = try once
 * ARGV[4] cap ms: the longest retry delay to hand back (the client's poll interval)
 * ARGV[5] grace ms: how long past its retry time a queued waiter keeps its place
 * ARGV[6] attempt number (the grant message names it, so the client knows when it was sent)
 *
 * Returns {1, token, pttl} when held (token as a decimal string; pttl = the lock's remaining TTL),
 * or {0, retry ms, holder}: when to try again at the latest (the holder's remaining TTL, or when the
 * queue's head expires, capped by ARGV[4]), and the lock's value when it was held by someone else
 * (Redlock tells a lock changing hands from one that stays put by it).
 *
 * It is our turn when the queue is empty or we are its live head. If the lock already holds our
 * id — it was granted to us by a release, or a resent request already won — it returns that token
 * with the remaining TTL, from which the client dates the lease conservatively. When the lock is
 * free but another waiter's turn (the holder expired without releasing), the lock is granted to
 * that waiter. The common case (free, nobody queued) reads no queue and not the lock: EXISTS,
 * TIME, GET (the token counter, see TAKE_LUA), SET NX (the lock) and SET (the counter): five calls.
 */
const LUA = `
local lock, counter, queue, waiters = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id, ttl = ARGV[1], ARGV[2]
${TAKE_LUA}
-- Fast path: nobody queued and the lock free, taken by SET NX without reading it first.
if redis.call('EXISTS', queue) == 0 then
  local token = take(id, ttl, true)
  if token then return {1, token, tonumber(ttl)} end
end
local current = redis.call('GET', lock)
if current and string.sub(current, 1, #id + 1) == id .. ':' then
  return {1, string.sub(current, #id + 2), redis.call('PTTL', lock)}
end
local wait, cap, grace, attempt = ARGV[3] == '1', tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
${QUEUE_LUA}
if not current then
  local head, record = live_head()
  if head == nil or head == id then
    if head == id then
      redis.call('ZREM', queue, id)
      redis.call('HDEL', waiters, id)
    end
    return {1, take(id, ttl), tonumber(ttl)}
  end
  -- Free, but another waiter's turn (the holder expired without a release): hand it over.
  grant_head()
end

local pttl = redis.call('PTTL', lock)
local retry = cap
if pttl > 0 and pttl < cap then retry = pttl end
if wait then
  redis.call('ZADD', queue, 'NX', string.format('%.0f', now_us), id)
  local keep = retry + grace
  redis.call('HSET', waiters, id, string.format('%.3f', now_ms + keep) .. ' ' .. ttl .. ' ' .. attempt .. ' ' .. string.format('%.0f', now_us))
  if redis.call('PTTL', queue) < keep then
    redis.call('PEXPIRE', queue, keep)
    redis.call('PEXPIRE', waiters, keep)
  end
end
return {0, retry, current}
`;

/** Arguments of {@link acquireScript}: id, ttl, wait flag, cap, grace, attempt number. */
export type AcquireArgs = readonly [
  id: string,
  ttlMs: number,
  wait: '0' | '1',
  capMs: number,
  graceMs: number,
  attempt: number,
];

/** Reply of {@link acquireScript} (and of the Redlock acquire, which may add `serverUs`). */
export type AcquireReply =
  | {
      readonly held: true;
      readonly token: bigint;
      readonly pttlMs: number;
      /** The server's time in µs when the token was drawn (Redlock acquire only). */
      readonly serverUs?: number;
    }
  | { readonly held: false; readonly retryMs: number; readonly holder?: string };

/**
 * Parses `{1, token, pttl[, server µs]}` or `{0, retry ms[, holder]}`.
 * @throws Error on any other reply (another program wrote our keys).
 */
export function parseAcquireReply(name: string, raw: unknown): AcquireReply {
  if (!Array.isArray(raw) || raw.length < 2)
    throw new Error(`${name}: unexpected reply ${JSON.stringify(raw)}`);
  const [held, value, third, fourth] = raw as [unknown, unknown, unknown, unknown];
  if (held === 1) {
    const token = BigInt(String(value));
    return fourth == null
      ? { held: true, token, pttlMs: Number(third) }
      : { held: true, token, pttlMs: Number(third), serverUs: Number(fourth) };
  }
  return third == null
    ? { held: false, retryMs: Number(value) }
    : { held: false, retryMs: Number(value), holder: String(third) };
}

/** The acquire script; see the header comment for keys, arguments and reply. */
export const acquireScript = defineScript<AcquireArgs, AcquireReply>('acquire', LUA, (raw) =>
  parseAcquireReply('acquire', raw),
);
