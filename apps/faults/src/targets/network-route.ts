import type { FaultSkip, NetworkRoute } from '@locksmith/testkit';

/** `host:port` of one address as the settings write it (`redis://h:p`, `postgres://u@h:p/db`, `h:p`). */
function hostOf(address: string): string {
  return address.includes('://') ? new URL(address).host : address;
}

function withHost(address: string, host: string): string {
  if (!address.includes('://')) return host;
  const url = new URL(address);
  url.host = host;
  // URL keeps a trailing slash on an empty path; the settings never had one.
  return url.pathname === '/' && !address.endsWith('/') ? url.href.replace(/\/$/, '') : url.href;
}

/**
 * How the workers reach the servers named by `variable` (a comma-separated list), so the suite can
 * give each worker a toxiproxy proxy of its own in front of every one. Not run without toxiproxy.
 */
export function networkRoute(
  env: Readonly<Record<string, string | undefined>>,
  variable: string,
): NetworkRoute | FaultSkip {
  const toxiproxyUrl = env.LOCKSMITH_TOXIPROXY_URL;
  if (toxiproxyUrl === undefined)
    return {
      skip: 'not-run',
      reason: 'LOCKSMITH_TOXIPROXY_URL is not set (start toxiproxy with `pnpm backends up toxiproxy`)',
    };
  const addresses = (env[variable] ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  return {
    toxiproxyUrl,
    endpoints: addresses.map(hostOf),
    env: (hosts) => ({ [variable]: addresses.map((a, i) => withHost(a, hosts[i] ?? hostOf(a))).join(',') }),
  };
}
