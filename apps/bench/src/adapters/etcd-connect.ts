import type { Etcd3 } from 'etcd3';

/**
 * The launcher's etcd members from `LOCKSMITH_ETCD_ENDPOINTS` (comma-separated, as `pnpm backends
 * env` prints it; the launcher's ports when unset), as the array etcd3 needs. The runner checks
 * the `etcd` requirement (starting the cluster through the launcher when it does not answer).
 */
export function etcdEndpoints(): string[] {
  const raw =
    process.env.LOCKSMITH_ETCD_ENDPOINTS ??
    'http://127.0.0.1:17201,http://127.0.0.1:17202,http://127.0.0.1:17203';
  return raw
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
}

/** A connected etcd3 client of the whole cluster; fails fast (3 s) when no member answers. */
export async function connectEtcd(): Promise<Etcd3> {
  const { Etcd3 } = await import('etcd3');
  const client = new Etcd3({ hosts: etcdEndpoints(), dialTimeout: 2_000 });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      client.get('locksmith/bench-probe').string(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`etcd at ${etcdEndpoints().join(',')} did not answer within 3 s`)),
          3_000,
        );
      }),
    ]);
  } catch (error) {
    client.close();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return client;
}

/** etcd lease TTLs are whole seconds. */
export function leaseSeconds(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs / 1000));
}
