// Throwaway redis-server processes for the tests that kill, pause or restart a server. The
// launcher's shared servers are used by other test files running in parallel, so faults go to
// servers of our own (testkit's PrivateServer): same binary and settings as the launcher's (no
// automatic persistence; a test may still SAVE, and a restart then loads that RDB file, as Redis's
// default config would), on free loopback ports.
import { privateRedisRecipe } from '@locksmith/backends';
import { PrivateServer } from '@locksmith/testkit';
import type { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { connect } from './servers.ts';

/** Why the private-server tests of a file skip here, or `undefined` when redis-server exists. */
export function privateRedisSkip(): string | undefined {
  return privateRedisRecipe() === undefined
    ? 'redis-server is not installed (apt-get install redis-server)'
    : undefined;
}

/**
 * A function that connects to `url` (see servers.ts `connect`); every client it opened, or was
 * given through `adopt`, is disconnected after the calling file's tests.
 */
export function clientsClosedAfterAll(): ((url: string) => Redis) & { adopt(client: Redis): Redis } {
  const opened: Redis[] = [];
  afterAll(() => {
    for (const c of opened) c.disconnect();
  });
  const adopt = (client: Redis) => {
    opened.push(client);
    return client;
  };
  return Object.assign((url: string) => adopt(connect(url)), { adopt });
}

/** One private Redis server that a test may kill, pause and start again on the same port. */
export class PrivateRedis {
  readonly #server: PrivateServer;

  private constructor(server: PrivateServer) {
    this.#server = server;
  }

  /** Starts a server on a free port and waits until it answers. */
  static async start(): Promise<PrivateRedis> {
    const recipe = privateRedisRecipe();
    if (recipe === undefined) throw new Error(privateRedisSkip());
    return new PrivateRedis(await PrivateServer.launch(recipe));
  }

  get port(): number {
    return this.#server.port;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server again (same port, same data directory) and waits until it answers. */
  start(): Promise<void> {
    return this.#server.start();
  }

  /** Freezes the server (SIGSTOP): connections stay open, nothing is answered until {@link resume}. */
  pause(): void {
    this.#server.pause();
  }

  /** Lets a paused server run again (SIGCONT); it then runs the commands that queued up. */
  resume(): void {
    this.#server.resume();
  }

  /** Kills the server (SIGKILL: no clean shutdown) and waits for it to exit. */
  kill(): Promise<void> {
    return this.#server.kill();
  }

  /** Kills the server and removes its data directory. */
  stop(): Promise<void> {
    return this.#server.dispose();
  }
}
