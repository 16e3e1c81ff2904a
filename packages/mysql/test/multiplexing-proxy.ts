// A stand-in for a multiplexing proxy (ProxySQL, a transaction-mode pooler) in front of the real
// server: each client connection is served by two server connections, and consecutive commands
// alternate between them. It needs a user without a password (the launcher's root): the client's
// handshake response is replayed to the second server connection, whose greeting the client never
// saw. The client sends its next command only after the whole reply, so replies need no parsing.
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';

export interface MultiplexingProxy {
  readonly url: string;
  close(): Promise<void>;
}

export async function startMultiplexingProxy(target: URL): Promise<MultiplexingProxy> {
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
    return s;
  };
  const server: Server = createServer((client) => {
    track(client);
    const backends = [0, 1].map(() =>
      track(tcpConnect({ host: target.hostname, port: Number(target.port) })),
    ) as [Socket, Socket];
    const [a, b] = backends;
    let bPacketsToDrop = 2; // B's greeting, then its reply to the replayed handshake response
    let bPending = Buffer.alloc(0);
    let handshaken = false;
    let current = 0;
    let pending = Buffer.alloc(0);
    a.on('data', (d) => client.write(d));
    b.on('data', (d) => {
      if (bPacketsToDrop === 0) {
        client.write(d);
        return;
      }
      // Whole packets are dropped, however TCP splits or joins them.
      bPending = Buffer.concat([bPending, d]);
      while (bPacketsToDrop > 0 && bPending.length >= 4 && bPending.length >= 4 + bPending.readUIntLE(0, 3)) {
        bPending = bPending.subarray(4 + bPending.readUIntLE(0, 3));
        bPacketsToDrop -= 1;
      }
      if (bPacketsToDrop === 0 && bPending.length > 0) client.write(bPending);
    });
    client.on('data', (d) => {
      pending = Buffer.concat([pending, d]);
      while (pending.length >= 4) {
        const length = pending.readUIntLE(0, 3);
        if (pending.length < 4 + length) break;
        const packet = pending.subarray(0, 4 + length);
        pending = pending.subarray(4 + length);
        if (!handshaken) {
          handshaken = true; // the handshake response: to both server connections
          a.write(packet);
          b.write(packet);
          continue;
        }
        if (packet[3] === 0) current = 1 - current; // sequence 0: a new command
        backends[current]?.write(packet);
      }
    });
    const end = () => {
      for (const s of [client, a, b]) s.destroy();
    };
    for (const s of [client, a, b]) s.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const url = new URL(target.href);
  url.port = String(port);
  return {
    url: url.href,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
