// The settings tests and the bench read: names, formats, proxied twins, and the CLI's output.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { skipReason } from '../src/ensure.ts';
import { backendEnv, proxyVariable, skipVariable } from '../src/env.ts';
import { REPO_ROOT } from '../src/paths.ts';

const run = promisify(execFile);

describe('backendEnv', () => {
  const env = backendEnv();

  it('names every service', () => {
    expect(Object.keys(env).sort()).toEqual(
      [
        'LOCKSMITH_CONSUL_ADDRS',
        'LOCKSMITH_CONSUL_PROXY_ADDRS',
        'LOCKSMITH_ETCD_ENDPOINTS',
        'LOCKSMITH_ETCD_PROXY_ENDPOINTS',
        'LOCKSMITH_MYSQL_PROXY_URL',
        'LOCKSMITH_MYSQL_URL',
        'LOCKSMITH_POSTGRES_PROXY_URL',
        'LOCKSMITH_POSTGRES_URL',
        'LOCKSMITH_REDIS_PROXY_URL',
        'LOCKSMITH_REDIS_URL',
        'LOCKSMITH_REDLOCK_PROXY_URLS',
        'LOCKSMITH_REDLOCK_URLS',
        'LOCKSMITH_TOXIPROXY_URL',
        'LOCKSMITH_ZOOKEEPER_HOSTS',
        'LOCKSMITH_ZOOKEEPER_PROXY_HOSTS',
      ].sort(),
    );
  });

  it('gives addresses clients can use as they are', () => {
    expect(env.LOCKSMITH_REDIS_URL).toBe('redis://127.0.0.1:17100');
    expect(env.LOCKSMITH_REDLOCK_URLS?.split(',')).toEqual(
      [1, 2, 3, 4, 5].map((i) => `redis://127.0.0.1:${17100 + i}`),
    );
    expect(env.LOCKSMITH_ETCD_ENDPOINTS).toBe(
      'http://127.0.0.1:17201,http://127.0.0.1:17202,http://127.0.0.1:17203',
    );
    expect(env.LOCKSMITH_ZOOKEEPER_HOSTS).toBe('127.0.0.1:17301,127.0.0.1:17302,127.0.0.1:17303');
    expect(env.LOCKSMITH_CONSUL_ADDRS).toBe(
      'http://127.0.0.1:17401,http://127.0.0.1:17402,http://127.0.0.1:17403',
    );
    expect(env.LOCKSMITH_POSTGRES_URL).toBe('postgres://postgres@127.0.0.1:17501/locksmith');
    expect(env.LOCKSMITH_MYSQL_URL).toBe('mysql://root@127.0.0.1:17601/locksmith');
    expect(env.LOCKSMITH_TOXIPROXY_URL).toBe('http://127.0.0.1:17700');
    for (const value of Object.values(env).flatMap((v) => v.split(','))) {
      expect(() => new URL(value.includes('://') ? value : `tcp://${value}`)).not.toThrow();
    }
  });

  it('pairs each address with its proxied twin, same shape, toxiproxy ports', () => {
    expect(env.LOCKSMITH_REDIS_PROXY_URL).toBe('redis://127.0.0.1:17800');
    expect(env.LOCKSMITH_ETCD_PROXY_ENDPOINTS).toBe(
      'http://127.0.0.1:17811,http://127.0.0.1:17812,http://127.0.0.1:17813',
    );
    expect(env.LOCKSMITH_POSTGRES_PROXY_URL).toBe('postgres://postgres@127.0.0.1:17850/locksmith');
    expect(proxyVariable('LOCKSMITH_ZOOKEEPER_HOSTS')).toBe('LOCKSMITH_ZOOKEEPER_PROXY_HOSTS');
  });

  it('leaves the proxied variables out when toxiproxy is not among the services', () => {
    expect(backendEnv(['etcd'])).toEqual({ LOCKSMITH_ETCD_ENDPOINTS: env.LOCKSMITH_ETCD_ENDPOINTS });
  });
});

describe('skipReason', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('is the recorded reason, else a hint when the settings are missing, else undefined', () => {
    delete process.env.LOCKSMITH_CONSUL_ADDRS;
    delete process.env[skipVariable('consul')];
    expect(skipReason('consul')).toMatch(/LOCKSMITH_CONSUL_ADDRS not set/);
    process.env.LOCKSMITH_CONSUL_ADDRS = 'http://127.0.0.1:17401';
    expect(skipReason('consul')).toBeUndefined();
    process.env[skipVariable('consul')] = 'consul not found';
    expect(skipReason('consul')).toBe('consul not found');
  });
});

describe('pnpm backends env', () => {
  it('prints only NAME=value lines, equal to backendEnv()', async () => {
    const cli = join(REPO_ROOT, 'packages/backends/src/cli.ts');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', cli, 'env'], { cwd: REPO_ROOT });
    const lines = stdout.trim().split('\n');
    for (const line of lines) expect(line).toMatch(/^LOCKSMITH_[A-Z_]+=\S+$/);
    expect(
      Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])),
    ).toEqual(backendEnv());
  });
});
