import { Socket } from 'node:net';

/** What the clients of this process sent while counting. */
export interface ClientCounts {
  /** Commands handed to ioredis (`sendCommand`): one per command, pipelined ones included. */
  readonly commands: number;
  /** Writes to TCP sockets: one per request or per whole pipeline, so ≈ round trips started. */
  readonly writes: number;
}

let installed: Promise<void> | undefined;
let commands = 0;
let writes = 0;

/**
 * Counts, from here until the returned function is called, the commands this process's ioredis
 * clients send and its TCP socket writes. Counters of one process are shared: call it from one
 * logical worker per process.
 */
export async function countClientRequests(): Promise<() => ClientCounts> {
  installed ??= install();
  await installed;
  const c0 = commands;
  const w0 = writes;
  return () => ({ commands: commands - c0, writes: writes - w0 });
}

async function install(): Promise<void> {
  const socket = Socket.prototype as { write: (...args: unknown[]) => boolean };
  const write = socket.write;
  socket.write = function (this: Socket, ...args: unknown[]) {
    if (this.remotePort !== undefined) writes += 1;
    return write.apply(this, args);
  };
  try {
    // The ioredis this app resolves; every Redis adapter (and @locksmith/redis, given our client) uses it.
    const { Redis } = await import('ioredis');
    const proto = Redis.prototype as unknown as { sendCommand: (...args: unknown[]) => unknown };
    const send = proto.sendCommand;
    proto.sendCommand = function (this: unknown, ...args: unknown[]) {
      commands += 1;
      return send.apply(this, args);
    };
  } catch {
    // No ioredis: no Redis mechanism can run either, and commands stay 0.
  }
}
