// A fenced Redis key: a Lua script compares the token and writes the value atomically.
import { fencedRedisSet, type RedisEvalClient } from '@locksmith/fencing';

/** What this example uses of an ioredis client. */
interface RedisLike extends RedisEvalClient {
  get(key: string): Promise<string | null>;
  del(...keys: string[]): Promise<number>;
}

/** `client`: an ioredis client. `prefix`: a key prefix this example may write and delete. */
export async function main(client: RedisLike, prefix = 'invoice:42'): Promise<string[]> {
  // One hash tag for both keys, so the script also works on Redis Cluster.
  const valueKey = `{${prefix}}:status`;
  const fenceKey = `{${prefix}}:fence`;
  const log: string[] = [];
  const write = async (token: bigint, value: string) => {
    const ok = await fencedRedisSet(client, { valueKey, fenceKey, token, value });
    log.push(`token ${token} → ${value}: ${ok ? 'written' : 'rejected (stale)'}`);
  };
  await write(7n, 'sent');
  await write(8n, 'paid');
  await write(7n, 'cancelled');
  log.push(`value: ${await client.get(valueKey)}, fence ${await client.get(fenceKey)}`);
  await client.del(valueKey, fenceKey);
  return log;
}
