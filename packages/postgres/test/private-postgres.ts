// A throwaway PostgreSQL cluster for the tests that kill the server: the launcher's shared one
// serves every other test file in parallel, so crashes go to a cluster of our own (testkit's
// PrivateServer with the backends' recipe: initdb into /var/tmp, the launcher's flags).
import { privatePostgresRecipe, privatePostgresSkip, privatePostgresUrl } from '@locksmith/backends';
import { PrivateServer } from '@locksmith/testkit';

export { privatePostgresSkip };

/** One private cluster that a test may kill (kill -9 of every process) and start again with its data. */
export class PrivatePostgres {
  readonly #server: PrivateServer;

  private constructor(server: PrivateServer) {
    this.#server = server;
  }

  /** Creates a cluster (initdb), starts it on a free port and waits until it answers. */
  static async start(): Promise<PrivatePostgres> {
    const recipe = privatePostgresRecipe();
    if (recipe === undefined) throw new Error(privatePostgresSkip());
    return new PrivatePostgres(await PrivateServer.launch(recipe));
  }

  /** Its `postgres` database, as the `postgres` superuser (trust auth on 127.0.0.1). */
  get url(): string {
    return privatePostgresUrl(this.#server.port);
  }

  /** Kills the postmaster and every backend (SIGKILL: a crash) and waits until they are gone. */
  kill(): Promise<void> {
    return this.#server.kill();
  }

  /** Starts the server again on its data (crash recovery replays the WAL) and waits until it answers. */
  start(): Promise<void> {
    return this.#server.start();
  }

  /** Kills the server and removes its data directory. */
  stop(): Promise<void> {
    return this.#server.dispose();
  }
}
