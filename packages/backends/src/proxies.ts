// The toxiproxy proxies: one in front of every server's client port, named after the member.
// Native: both ends on 127.0.0.1. Compose: toxiproxy reaches the containers by service name
// (packages/backends/compose/toxiproxy.json holds that list; a test keeps it equal to this).
import type { Mode } from './mode.ts';
import { clientPort, HOST, proxiedMembers } from './topology.ts';

export interface ProxyDefinition {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
}

export function proxyDefinitions(mode: Mode): ProxyDefinition[] {
  return proxiedMembers().map((m) =>
    mode === 'native'
      ? {
          name: m.name,
          listen: `${HOST}:${m.proxyPort}`,
          upstream: `${HOST}:${clientPort(m)}`,
          enabled: true,
        }
      : {
          name: m.name,
          listen: `0.0.0.0:${m.proxyPort}`,
          upstream: `${m.name}:${m.containerPorts.client}`,
          enabled: true,
        },
  );
}
