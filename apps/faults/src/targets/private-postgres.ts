// The `restart` fault on PostgreSQL (both modes): a private cluster per run (initdb into /var/tmp,
// about a second), killed while a holder is inside and others queue (kill -9 of the postmaster and
// every backend: a crash), then started again on its data (crash recovery replays the WAL). The
// launcher's PostgreSQL serves every other test, so it is never the one killed.
import { privatePostgresRecipe, privatePostgresSkip, privatePostgresUrl } from '@locksmith/backends';
import type { FaultSkip, ServerFault } from '@locksmith/testkit';
import { PrivateServer } from '@locksmith/testkit';
import { down } from './private-redis.ts';

export function postgresRestart(downMs: number): ServerFault | FaultSkip {
  const recipe = privatePostgresRecipe();
  if (recipe === undefined)
    return {
      skip: 'not-run',
      reason: `${privatePostgresSkip()} (the fault kills a private PostgreSQL cluster)`,
    };
  return {
    async prepare() {
      const server = await PrivateServer.launch(recipe);
      return {
        env: { LOCKSMITH_POSTGRES_URL: privatePostgresUrl(server.port) },
        injections: [
          down(
            'private PostgreSQL cluster killed (kill -9 of the postmaster and every backend), started again on its data',
            () => [server],
            downMs,
          ),
        ],
        dispose: () => server.dispose(),
      };
    },
  };
}
