// Private redis-server processes for the faults that kill servers: the single instance restarted
// (`restart`) and Redlock's instances taken down and back (`member`). The same settings as the
// launcher's servers: no persistence, so a restarted server has forgotten every key.
import { privateRedisRecipe } from '@locksmith/backends';
import type { FaultSkip, ServerFault, ServerInjection } from '@locksmith/testkit';
import { PrivateServer } from '@locksmith/testkit';

const url = (server: PrivateServer) => `redis://127.0.0.1:${server.port}`;

/** Kills `servers` for the injection, starts them again at its end (private-postgres.ts's too). */
export function down(
  label: string,
  servers: () => readonly PrivateServer[],
  downMs: number,
): ServerInjection {
  return {
    label,
    downMs,
    begin: async () => {
      await Promise.all(servers().map((s) => s.kill()));
      return undefined;
    },
    end: async () => {
      await Promise.all(servers().map((s) => s.start()));
    },
  };
}

const missing: FaultSkip = {
  skip: 'not-run',
  reason: 'redis-server is not installed here (the fault kills private redis-server processes)',
};

/** The single instance killed (kill -9) and started again without its data, on a private server. */
export function redisRestart(downMs: number): ServerFault | FaultSkip {
  const recipe = privateRedisRecipe();
  if (recipe === undefined) return missing;
  return {
    async prepare() {
      const server = await PrivateServer.launch(recipe);
      return {
        env: { LOCKSMITH_REDIS_URL: url(server) },
        injections: [
          down('private redis-server killed (kill -9), started again empty', () => [server], downMs),
        ],
        dispose: () => server.dispose(),
      };
    },
  };
}

/** Five private instances: two killed (a minority) and started again, then three (a majority). */
export function redlockMembers(downMs: number): ServerFault | FaultSkip {
  const recipe = privateRedisRecipe();
  if (recipe === undefined) return missing;
  return {
    async prepare() {
      const servers = await Promise.all(Array.from({ length: 5 }, () => PrivateServer.launch(recipe)));
      return {
        env: { LOCKSMITH_REDLOCK_URLS: servers.map(url).join(',') },
        injections: [
          down(
            '2 of 5 private instances killed (a minority), started again empty',
            () => servers.slice(0, 2),
            downMs,
          ),
          down(
            '3 of 5 private instances killed (a majority), started again empty',
            () => servers.slice(2, 5),
            downMs,
          ),
        ],
        dispose: async () => {
          await Promise.all(servers.map((s) => s.dispose()));
        },
      };
    },
  };
}
