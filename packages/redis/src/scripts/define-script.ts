import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** One pipeline reply, as ioredis reports it. */
type PipelineReply = [Error | null, unknown];

/**
 * A Lua script run with EVALSHA, falling back on EVAL when the server answers NOSCRIPT (after a
 * restart, `SCRIPT FLUSH`, or on a server that never saw it). EVAL also caches the script, so the
 * fallback costs one extra round trip once per server.
 */
export interface RedisScript<Args extends readonly (string | number)[], Reply> {
  readonly name: string;
  readonly sha: string;
  /** Runs the script once. Rejects with the client's error when Redis cannot be reached. */
  run(client: Redis, keys: readonly string[], args: Args): Promise<Reply>;
  /**
   * Runs the script once per call in one pipeline (one round trip). Rejects when the pipeline
   * could not be sent or any call failed for another reason than NOSCRIPT.
   */
  runMany(client: Redis, calls: readonly { keys: readonly string[]; args: Args }[]): Promise<Reply[]>;
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/**
 * Defines a script. `parse` turns the raw reply into `Reply` (and throws on a malformed one, which
 * would mean another program wrote our keys).
 */
export function defineScript<Args extends readonly (string | number)[], Reply>(
  name: string,
  lua: string,
  parse: (raw: unknown) => Reply,
): RedisScript<Args, Reply> {
  const sha = createHash('sha1').update(lua).digest('hex');
  return {
    name,
    sha,
    run(client, keys, args) {
      return client.evalsha(sha, keys.length, ...keys, ...args).then(parse, (error: unknown) => {
        if (!isNoScript(error)) throw error;
        return client.eval(lua, keys.length, ...keys, ...args).then(parse);
      });
    },
    async runMany(client, calls) {
      if (calls.length === 0) return [];
      const send = async (useSha: boolean): Promise<PipelineReply[]> => {
        const pipeline = client.pipeline();
        for (const { keys, args } of calls) {
          if (useSha) pipeline.evalsha(sha, keys.length, ...keys, ...args);
          else pipeline.eval(lua, keys.length, ...keys, ...args);
        }
        const replies = await pipeline.exec();
        if (replies === null) throw new Error(`${name}: the pipeline was discarded`);
        return replies as PipelineReply[];
      };
      let replies = await send(true);
      // Scripts are idempotent for the same arguments, so re-running the whole batch is safe.
      if (replies.some(([error]) => isNoScript(error))) replies = await send(false);
      return replies.map(([error, raw]) => {
        if (error) throw error;
        return parse(raw);
      });
    },
  };
}
