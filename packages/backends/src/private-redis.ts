// Throwaway redis-servers of a test's own, for the faults that kill, pause or restart a server (the
// launcher's shared ones serve other tests in parallel): the launcher's binary and settings, no
// persistence, in the shape of testkit's PrivateServer options, which picks the port and data dir.
import { findBinary } from './paths.ts';
import { respCommands } from './probes/resp.ts';
import { flags } from './processes.ts';
import { HOST } from './topology.ts';

/** How to run one private server: testkit's `PrivateServerOptions`, without depending on testkit. */
export interface PrivateServerRecipe {
  /** The executable and its arguments, for a port and an empty data directory. */
  command(port: number, dir: string): { readonly file: string; readonly args: readonly string[] };
  /** The pid of the process that serves on `port` once one does; rejects while none does. */
  ready(port: number): Promise<number | undefined>;
  /** How long a start may take. */
  readonly startMs?: number;
  /** Fills the empty data directory once, before the first start. */
  init?(dir: string): Promise<void>;
  /** The user the server runs as (it then owns the data directory). */
  readonly user?: { readonly uid: number; readonly gid: number };
  /** Where the data directory is made. */
  readonly parentDir?: string;
}

/** The pid of the redis-server answering on `port` (`INFO server`); rejects while none does. */
export async function redisServerPid(port: number): Promise<number | undefined> {
  const [info] = await respCommands(port, [['INFO', 'server']]);
  if (info instanceof Error) throw info; // e.g. LOADING while it reads its RDB file
  const pid = /^process_id:(\d+)/m.exec(String(info))?.[1];
  return pid === undefined ? undefined : Number(pid);
}

/** A private redis-server's recipe, or `undefined` when redis-server is not installed. */
export function privateRedisRecipe(): PrivateServerRecipe | undefined {
  const file = findBinary('redis-server');
  if (file === undefined) return undefined;
  return {
    command: (port, dir) => ({
      file,
      // biome-ignore format: one flag per line
      args: flags({
        bind: HOST, port, dir,
        save: '', appendonly: 'no', daemonize: 'no', logfile: '',
      }),
    }),
    ready: redisServerPid,
  };
}
