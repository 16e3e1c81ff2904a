// Redis: one instance for the single-instance lock, five independent ones for Redlock.
// No persistence: a restarted instance comes back empty, as Redlock's safety argument assumes.

import { type BackendDriver, combineHealth } from '../driver.ts';
import { dataDir, ensureDir, findBinary } from '../paths.ts';
import { redisWriteRead } from '../probes/resp.ts';
import { flags } from '../processes.ts';
import { clientPort, HOST, type Member } from '../topology.ts';

function redisDriver(service: 'redis' | 'redlock'): BackendDriver {
  const driver: BackendDriver = {
    service,
    readyTimeoutMs: 15_000,
    requirements() {
      return findBinary('redis-server') === undefined
        ? 'redis-server not found on PATH; install it with `apt-get install redis-server` (then `systemctl disable --now redis-server` if you do not want the system one)'
        : undefined;
    },
    async prepare(m: Member) {
      ensureDir(dataDir(m.name));
    },
    command(m: Member) {
      return {
        cmd: findBinary('redis-server') ?? 'redis-server',
        // biome-ignore format: one flag per line
        args: flags({
          bind: HOST, port: clientPort(m), dir: dataDir(m.name),
          save: '', appendonly: 'no', daemonize: 'no', logfile: '',
        }),
      };
    },
    async memberHealth(m: Member) {
      await redisWriteRead(clientPort(m));
      return { ok: true, detail: 'SET/GET ok' };
    },
    serviceHealth(members) {
      return combineHealth(
        driver,
        members,
        async (h) => `${h.length} instance${h.length > 1 ? 's' : ''}, SET/GET ok`,
      );
    },
  };
  return driver;
}

export const redis = redisDriver('redis');
export const redlock = redisDriver('redlock');
