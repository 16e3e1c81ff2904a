// Where the real servers for the recipe tests are, and whether they answer.
import { connect } from 'node:net';

export const POSTGRES_URL = process.env.LOCKSMITH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.LOCKSMITH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** CI sets this: a server that does not answer fails its tests instead of skipping them. */
export const REQUIRE_BACKENDS = process.env.LOCKSMITH_REQUIRE_BACKENDS === '1';

/** `host:port` of a server URL, for messages. */
export function address(url: string, defaultPort: number): string {
  const { hostname, port } = new URL(url);
  return `${hostname}:${port || defaultPort}`;
}

/** Whether a TCP connection to the URL's host and port opens within a second. */
export function reachable(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || defaultPort) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A name no other test run uses (tables, keys). */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
}

/** Tokens 1..n in random order. */
export function shuffledTokens(n: number): bigint[] {
  const tokens = Array.from({ length: n }, (_, i) => BigInt(i + 1));
  for (let i = tokens.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [tokens[i], tokens[j]] = [tokens[j]!, tokens[i]!];
  }
  return tokens;
}
