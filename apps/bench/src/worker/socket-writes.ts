import { Socket } from 'node:net';

/**
 * Counts writes to TCP sockets in this process until the returned function is called (which
 * returns the count and restores `write`). A client sends one write per request, or one for a
 * whole pipeline, so this is the number of round trips the client started.
 */
export function countSocketWrites(): () => number {
  const proto = Socket.prototype as { write: (...args: unknown[]) => boolean };
  const original = proto.write;
  let count = 0;
  proto.write = function (this: Socket, ...args: unknown[]) {
    if (this.remotePort !== undefined) count += 1;
    return original.apply(this, args);
  };
  return () => {
    proto.write = original;
    return count;
  };
}
