// Small promise helpers over the `zookeeper` package's callback API, for the tests' own reads.
import type { TestZooKeeper } from './servers.ts';

function call<T>(start: (cb: (rc: number, error: string, value: T) => void) => unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    start((rc, error, value) =>
      rc === 0 ? resolve(value) : reject(Object.assign(new Error(`${rc} ${error}`), { rc })),
    );
  });
}

/** The children of `path`; `[]` when it does not exist. Synced first: another session wrote them. */
export async function childrenOf(client: TestZooKeeper, path: string): Promise<string[]> {
  await call<string>((cb) => client.a_sync(path, cb as never)).catch(() => undefined);
  try {
    return await call<string[]>((cb) => client.a_get_children(path, false, cb as never));
  } catch (error) {
    if ((error as { rc?: number }).rc === -101) return [];
    throw error;
  }
}

/** Whether `path` exists (synced first). */
export async function exists(client: TestZooKeeper, path: string): Promise<boolean> {
  await call<string>((cb) => client.a_sync(path, cb as never)).catch(() => undefined);
  try {
    return (await call<unknown>((cb) => client.a_exists(path, false, cb as never))) != null;
  } catch (error) {
    if ((error as { rc?: number }).rc === -101) return false;
    throw error;
  }
}
