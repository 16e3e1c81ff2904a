import { fileURLToPath } from 'node:url';
import { runConformance } from '@locksmith/testkit';
import type { Redis } from 'ioredis';
import { afterAll, describe } from 'vitest';
import { redisLockKeys, redisLocks } from '../src/index.ts';
import { connect, REDIS_URL, REDLOCK_URLS, skipFor, testPrefix } from './servers.ts';

const holderModule = fileURLToPath(new URL('./holder-client.ts', import.meta.url));
const prefix = testPrefix('conformance');
const env = {
  LOCKSMITH_TEST_PREFIX: prefix,
  LOCKSMITH_REDIS_URL: REDIS_URL,
  LOCKSMITH_REDLOCK_URLS: REDLOCK_URLS.join(','),
};
const SLOW_POLL_MS = 10 * 60_000;

// One connection per server for the whole file, shared by every LockClient (as an application
// shares its ioredis client): the suite's handle check then sees only what a LockClient opens.
const opened: Redis[] = [];
const open = (url: string) => {
  const client = connect(url);
  opened.push(client);
  return client;
};
afterAll(() => {
  for (const client of opened) client.disconnect();
});

const singleSkip = await skipFor('redis');
const redlockSkip = await skipFor('redlock');
const single = singleSkip ? undefined : open(REDIS_URL);
const instances = redlockSkip ? [] : REDLOCK_URLS.map(open);

const variants = [
  {
    name: 'redis (single instance)',
    skip: singleSkip,
    createClient: ({ slowPoll }: { slowPoll: boolean }) =>
      redisLocks({ client: single as Redis, prefix, ...(slowPoll ? { pollIntervalMs: SLOW_POLL_MS } : {}) }),
    loseLease: async (key: string) => void (await single?.del(redisLockKeys(prefix, key).lock)),
    holderExport: 'createSingle',
  },
  {
    name: `redlock (${REDLOCK_URLS.length} instances)`,
    skip: redlockSkip,
    createClient: ({ slowPoll }: { slowPoll: boolean }) =>
      redisLocks({ clients: instances, prefix, ...(slowPoll ? { pollIntervalMs: SLOW_POLL_MS } : {}) }),
    // Lost on a majority: the next renewal cannot reach quorum.
    loseLease: async (key: string) => {
      const majority = instances.slice(0, Math.floor(instances.length / 2) + 1);
      await Promise.all(majority.map((c) => c.del(redisLockKeys(prefix, key).lock)));
    },
    holderExport: 'createRedlock',
  },
];

describe.each(variants)('$name', (variant) => {
  runConformance({
    name: variant.name,
    skip: variant.skip,
    createClient: variant.createClient,
    faults: { loseLease: (lease) => variant.loseLease(lease.key) },
    holder: { module: holderModule, exportName: variant.holderExport, env },
  });
});
