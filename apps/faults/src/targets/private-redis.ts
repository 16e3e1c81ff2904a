// Private redis-server processes for the faults that kill servers: the single instance restarted
// (`restart`) and Redlock's instances taken down and back (`member`). The same settings as the
// launcher's servers: no persistence, so a restarted server has forgotten every key.
import { execFileSync } from 'node:child_process';
import type { FaultSkip, ServerFault, ServerInjection } from '@locksmith/testkit';
import { PrivateServer } from '@locksmith/testkit';
import { Redis } from 'ioredis';

function binary(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The pid of the redis-server answering on `port`; rejects while none does. */
async function servingPid(port: number): Promise<number | undefined> {
  const probe = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    const pid = /^process_id:(\d+)/m.exec(await probe.info('server'))?.[1];
    return pid === undefined ? undefined : Number(pid);
  } finally {
    probe.disconnect();
  }
}

function launch(file: string): Promise<PrivateServer> {
  return PrivateServer.launch({
    command: (port, dir) => ({
      file,
      args: ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir],
    }),
    ready: servingPid,
  });
}

const url = (server: PrivateServer) => `redis://127.0.0.1:${server.port}`;

/** Kills `servers` for the injection, starts them again at its end. */
function down(label: string, servers: () => readonly PrivateServer[], downMs: number): ServerInjection {
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
  const file = binary();
  if (file === undefined) return missing;
  return {
    async prepare() {
      const server = await launch(file);
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
  const file = binary();
  if (file === undefined) return missing;
  return {
    async prepare() {
      const servers = await Promise.all(Array.from({ length: 5 }, () => launch(file)));
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
