import type { Redis } from 'ioredis';

/**
 * A connected ioredis client. Fails fast (one connection attempt, 2 s) so an unreachable server is
 * reported as a skip, not a hang.
 */
export async function connectRedis(url: string): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 2 });
  client.on('error', () => {}); // surfaced through the failing command instead
  await client.connect();
  return client;
}

/** Closes clients, ignoring those already closed. */
export async function quitAll(clients: readonly Redis[]): Promise<void> {
  await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
}

/** One client per URL; when one cannot connect, closes the others and rethrows. */
export async function connectAll(urls: readonly string[]): Promise<Redis[]> {
  const clients: Redis[] = [];
  try {
    for (const url of urls) clients.push(await connectRedis(url));
  } catch (error) {
    await quitAll(clients);
    throw error;
  }
  return clients;
}
