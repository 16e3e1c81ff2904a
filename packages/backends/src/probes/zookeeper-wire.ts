// ZooKeeper probes without a JVM or a client library: the four-letter words (srvr, mntr; they must
// be whitelisted in zoo.cfg) and a minimal session that creates an ephemeral node and reads it
// back (jute framing: a 4-byte length, then big-endian fields).
import { connect } from 'node:net';
import { HOST } from '../topology.ts';

/** Sends a four-letter word and resolves with the whole reply (the server closes after it). */
export function fourLetterWord(port: number, word: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port });
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no "${word}" reply on ${HOST}:${port}`)));
    socket.on('connect', () => socket.write(word));
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.includes('is not executed because it is not in the whitelist')) {
        reject(new Error(`ZooKeeper on ${port}: "${word}" is not whitelisted (4lw.commands.whitelist)`));
      } else resolve(text);
    });
  });
}

/** "leader" | "follower" | "standalone" | ..., from `srvr`. Throws when the server does not serve. */
export async function zookeeperMode(port: number): Promise<string> {
  const reply = await fourLetterWord(port, 'srvr');
  const mode = /^Mode: (\S+)/m.exec(reply)?.[1];
  if (mode === undefined) throw new Error(reply.trim() || `empty srvr reply on port ${port}`);
  return mode;
}

class Writer {
  private readonly parts: Buffer[] = [];
  int(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    this.parts.push(b);
    return this;
  }
  long(v: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(v);
    this.parts.push(b);
    return this;
  }
  bool(v: boolean): this {
    this.parts.push(Buffer.from([v ? 1 : 0]));
    return this;
  }
  buffer(v: Buffer): this {
    this.int(v.length);
    this.parts.push(v);
    return this;
  }
  string(v: string): this {
    return this.buffer(Buffer.from(v, 'utf8'));
  }
  /** The framed packet: length prefix + body. */
  frame(): Buffer {
    const body = Buffer.concat(this.parts);
    const len = Buffer.alloc(4);
    len.writeInt32BE(body.length);
    return Buffer.concat([len, body]);
  }
}

const OP_CREATE = 1;
const OP_GET_DATA = 4;
const OP_CLOSE = -11;
const EPHEMERAL = 1;
const PERMS_ALL = 31;

/**
 * Opens a session, creates an ephemeral node with a random value, reads it back and closes the
 * session (which deletes the node). A create is a quorum write, so this proves the ensemble commits.
 */
export function zookeeperWriteRead(port: number, timeoutMs = 5000): Promise<void> {
  const path = `/locksmith-probe-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const value = Buffer.from(`probe ${path}`);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port });
    let buf = Buffer.alloc(0);
    let stage = 0;
    const fail = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`ZooKeeper on ${port}: no reply at stage ${stage}`)));
    socket.on('error', fail);
    // a server that is not serving (no quorum yet) accepts the connection, then closes it
    socket.on('close', () =>
      reject(new Error(`ZooKeeper on ${port} closed the connection at stage ${stage}`)),
    );
    socket.on('connect', () => {
      socket.write(
        new Writer().int(0).long(0n).int(4000).long(0n).buffer(Buffer.alloc(16)).bool(false).frame(),
      );
    });
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
        const packet = buf.subarray(4, 4 + buf.readInt32BE(0));
        buf = buf.subarray(4 + packet.length);
        if (stage === 0) {
          // ConnectResponse: protocolVersion, timeOut, sessionId, passwd. timeOut 0 = refused.
          if (packet.readInt32BE(4) <= 0) return fail(new Error(`ZooKeeper on ${port} refused the session`));
          stage = 1;
          // create: path, data, acl vector (one entry: perms, scheme, id), flags
          const create = new Writer().int(1).int(OP_CREATE).string(path).buffer(value);
          socket.write(create.int(1).int(PERMS_ALL).string('world').string('anyone').int(EPHEMERAL).frame());
          continue;
        }
        // ReplyHeader: xid, zxid, err
        const err = packet.readInt32BE(12);
        if (err !== 0) return fail(new Error(`ZooKeeper on ${port}: error ${err} at stage ${stage}`));
        if (stage === 1) {
          stage = 2;
          socket.write(new Writer().int(2).int(OP_GET_DATA).string(path).bool(false).frame());
        } else if (stage === 2) {
          const len = packet.readInt32BE(16);
          const read = packet.subarray(20, 20 + len);
          if (!read.equals(value))
            return fail(new Error(`ZooKeeper on ${port}: read back ${read.toString()}`));
          stage = 3;
          socket.write(new Writer().int(3).int(OP_CLOSE).frame());
        } else {
          socket.end();
          resolve();
        }
      }
    });
  });
}
