// docker-compose.yml must describe the topology in src/topology.ts: the same services, the same
// host ports (on 127.0.0.1), the same cluster membership, and the same toxiproxy proxies.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMPOSE_FILE, REPO_ROOT } from '../src/paths.ts';
import { proxyDefinitions } from '../src/proxies.ts';
import { CONSUL_SETTINGS } from '../src/services/consul.ts';
import { allMembers, proxiedMembers, SERVICES, service } from '../src/topology.ts';

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
}

const compose = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const composeService = (name: string): ComposeService => {
  const s = compose.services[name];
  if (s === undefined) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};

describe('docker-compose.yml agrees with topology.ts', () => {
  it('has one compose service per member, and no others', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      allMembers()
        .map((m) => m.name)
        .sort(),
    );
  });

  it.each(allMembers().map((m) => [m.name, m] as const))('%s publishes the same host ports', (name, m) => {
    const expected = Object.keys(m.ports).map(
      (role) => `127.0.0.1:${m.ports[role]}:${m.containerPorts[role]}`,
    );
    if (m.service === 'toxiproxy') {
      expected.push(...proxiedMembers().map((p) => `127.0.0.1:${p.proxyPort}:${p.proxyPort}`));
    }
    expect([...(composeService(name).ports ?? [])].sort()).toEqual(expected.sort());
  });

  it('uses no host port twice and none of the standard ports', () => {
    const hostPorts = Object.values(compose.services).flatMap((s) =>
      (s.ports ?? []).map((p) => Number(p.split(':')[1])),
    );
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
    for (const standard of [6379, 5432, 3306, 2379, 2380, 2181, 8500, 8300, 8301, 8474])
      expect(hostPorts).not.toContain(standard);
    for (const p of hostPorts) expect(p).toBeGreaterThanOrEqual(17100);
  });

  it('pins every image to a version', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      expect(s.image, name).toMatch(/:[\w.-]+$/);
      expect(s.image, name).not.toMatch(/:latest$/);
    }
  });

  it('makes etcd one cluster of every etcd member, advertising the host client ports', () => {
    const members = service('etcd').members;
    for (const m of members) {
      const cmd = composeService(m.name).command ?? [];
      expect(cmd).toContain(`--name=${m.name}`);
      expect(cmd).toContain(`--advertise-client-urls=http://127.0.0.1:${m.ports.client}`);
      const cluster = cmd
        .find((a) => a.startsWith('--initial-cluster='))
        ?.split('=')
        .slice(1)
        .join('=');
      expect(cluster?.split(',').map((e) => e.split('=')[0])).toEqual(members.map((p) => p.name));
    }
  });

  it('makes ZooKeeper one ensemble with ids matching the topology', () => {
    const members = service('zookeeper').members;
    for (const m of members) {
      const env = composeService(m.name).environment ?? {};
      expect(env.ZOO_MY_ID).toBe(String(m.index));
      expect(env.ZOO_SERVERS?.split(' ')).toEqual(
        members.map((p) => `server.${p.index}=${p.name}:2888:3888;2181`),
      );
      expect(env.ZOO_4LW_COMMANDS_WHITELIST).toContain('srvr');
      expect(env.ZOO_ADMINSERVER_ENABLED).toBe('false');
    }
  });

  it('makes Consul one cluster of every server', () => {
    const members = service('consul').members;
    for (const m of members) {
      const cmd = composeService(m.name).command ?? [];
      expect(cmd).toContain(`-bootstrap-expect=${members.length}`);
      expect(cmd).toContain(`-node=${m.name}`);
      for (const p of members) expect(cmd).toContain(`-retry-join=${p.name}`);
      for (const hcl of CONSUL_SETTINGS) expect(cmd).toContain(`-hcl=${hcl}`);
    }
  });

  it('gives toxiproxy the same proxies as the native launcher', () => {
    const file = join(REPO_ROOT, 'packages/backends/compose/toxiproxy.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(proxyDefinitions('compose'));
    expect(composeService('toxiproxy').volumes?.[0]).toMatch(
      /^\.\/packages\/backends\/compose\/toxiproxy\.json:/,
    );
    const native = proxyDefinitions('native');
    expect(native.map((p) => p.name)).toEqual(proxyDefinitions('compose').map((p) => p.name));
    expect(
      native.every((p) => p.listen.startsWith('127.0.0.1:') && p.upstream.startsWith('127.0.0.1:')),
    ).toBe(true);
  });

  it('fronts every server with a proxy', () => {
    const fronted = new Set(proxiedMembers().map((m) => m.name));
    const servers = SERVICES.filter((s) => s.name !== 'toxiproxy').flatMap((s) =>
      s.members.map((m) => m.name),
    );
    expect([...fronted].sort()).toEqual(servers.sort());
  });
});
