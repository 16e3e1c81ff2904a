// A raw RESP (Redis protocol) round trip, so the launcher needs no Redis client library.
import { connect } from 'node:net';
import { HOST } from '../topology.ts';

export type RespValue = string | number | null | RespValue[] | Error;

function encode(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

/** Parses one reply from `buf` at `pos`; returns undefined when more bytes are needed. */
function parse(buf: Buffer, pos: number): { value: RespValue; next: number } | undefined {
  const eol = buf.indexOf('\r\n', pos);
  if (eol < 0) return undefined;
  const type = String.fromCharCode(buf[pos] ?? 0);
  const line = buf.toString('utf8', pos + 1, eol);
  const next = eol + 2;
  switch (type) {
    case '+':
      return { value: line, next };
    case '-':
      return { value: new Error(line), next };
    case ':':
      return { value: Number(line), next };
    case '$': {
      const len = Number(line);
      if (len < 0) return { value: null, next };
      if (buf.length < next + len + 2) return undefined;
      return { value: buf.toString('utf8', next, next + len), next: next + len + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, next };
      const items: RespValue[] = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const item = parse(buf, at);
        if (item === undefined) return undefined;
        items.push(item.value);
        at = item.next;
      }
      return { value: items, next: at };
    }
    default:
      throw new Error(`unexpected RESP type byte ${JSON.stringify(type)}`);
  }
}

/** Sends the commands pipelined on one connection and resolves with one reply per command. */
export function respCommands(port: number, commands: string[][], timeoutMs = 2000): Promise<RespValue[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port });
    let buf = Buffer.alloc(0);
    const replies: RespValue[] = [];
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`no Redis reply on ${HOST}:${port} within ${timeoutMs} ms`)),
    );
    socket.on('connect', () => socket.write(commands.map(encode).join('')));
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      let parsed = parse(buf, 0);
      while (parsed !== undefined) {
        replies.push(parsed.value);
        buf = buf.subarray(parsed.next);
        parsed = replies.length < commands.length ? parse(buf, 0) : undefined;
      }
      if (replies.length >= commands.length) {
        socket.end();
        resolve(replies);
      }
    });
    socket.on('error', reject);
    socket.on('close', () =>
      reject(new Error(`connection to ${HOST}:${port} closed after ${replies.length} replies`)),
    );
  });
}

/** SET with a PX expiry, then GET: a write and a read. Throws with what went wrong. */
export async function redisWriteRead(port: number): Promise<void> {
  const value = `probe-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const [set, get] = await respCommands(port, [
    ['SET', 'locksmith:probe', value, 'PX', '10000'],
    ['GET', 'locksmith:probe'],
  ]);
  if (set instanceof Error) throw set;
  if (get !== value) throw new Error(`GET returned ${JSON.stringify(get)} after SET ${value}`);
}
