// The statements of lease mode: each one is a single autocommit statement, so they work through
// any pool, transaction-mode poolers included. Expiry is judged by the server's now() alone.
import type { SchemaNames } from './postgres-keys.ts';

/**
 * Acquire, in one round trip. `pg_advisory_xact_lock` on the key's hash serializes acquirers of
 * one key until their statement commits, and `nextval` runs after it (the subquery, kept apart by
 * OFFSET 0, yields its row only once the lock is held): so a holder's token is always larger than
 * its predecessor's, even when an insert of a deleted key raced a slow one. The row is taken when
 * absent or expired; `remaining_ms` is the current holder's time left (the waiters' fallback
 * retry), read from the statement's snapshot.
 * $1 key, $2 holder id, $3 ttl ms, $4 advisory key.
 */
export const acquireSql = ({ table, sequence }: SchemaNames) => `WITH acquired AS (
  INSERT INTO ${table} AS l (key, holder, token, expires_at)
  SELECT $1::text, $2::text, nextval('${sequence}'), now() + $3::float8 * interval '1 millisecond'
  FROM (SELECT pg_advisory_xact_lock($4::bigint) OFFSET 0) AS serial
  ON CONFLICT (key) DO UPDATE
    SET holder = excluded.holder, token = excluded.token, expires_at = excluded.expires_at
    WHERE l.expires_at <= now()
  RETURNING token
)
SELECT (SELECT token FROM acquired) AS token,
  (SELECT ceil(extract(epoch FROM expires_at - now()) * 1000) FROM ${table} WHERE key = $1::text) AS remaining_ms`;

/** Release by holder id and token; NOTIFY the waiters only when the row was ours. $1 key, $2 holder, $3 token, $4 advisory key. */
export const releaseSql = ({ table, channel }: SchemaNames) => `WITH released AS (
  DELETE FROM ${table} WHERE key = $1::text AND holder = $2::text AND token = $3::bigint RETURNING key
)
SELECT count(pg_notify('${channel}', $4::text)::text)::int AS released FROM released`;

/** Leaving after a lost reply: delete this attempt's row, whatever its token. $1 key, $2 holder, $3 advisory key. */
export const abandonSql = ({ table, channel }: SchemaNames) => `WITH released AS (
  DELETE FROM ${table} WHERE key = $1::text AND holder = $2::text RETURNING key
)
SELECT count(pg_notify('${channel}', $3::text)::text)::int AS released FROM released`;

/**
 * Renews a batch in one round trip: each row still held by that holder and token, and not yet
 * expired, gets `now() + ttl`. Returns the tokens renewed. $1 keys, $2 holders, $3 tokens, $4 ttls.
 */
export const extendSql = ({ table }: SchemaNames) => `UPDATE ${table} AS l
SET expires_at = now() + v.ttl * interval '1 millisecond'
FROM unnest($1::text[], $2::text[], $3::bigint[], $4::float8[]) AS v(key, holder, token, ttl)
WHERE l.key = v.key AND l.holder = v.holder AND l.token = v.token AND l.expires_at > now()
RETURNING l.token`;

/**
 * Deletes up to 100 rows expired for over a second (holders that died without releasing, on keys
 * nobody took since). The outer `expires_at` test is re-checked on a row updated meanwhile.
 */
export const sweepSql = ({ table }: SchemaNames) => `DELETE FROM ${table}
WHERE expires_at < now() - interval '1 second'
  AND key = ANY(ARRAY(SELECT key FROM ${table} WHERE expires_at < now() - interval '1 second' LIMIT 100))`;
