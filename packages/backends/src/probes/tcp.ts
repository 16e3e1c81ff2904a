// Port checks: whether something accepts connections, and who holds a port.
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { HOST } from '../topology.ts';

export function portOpen(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('connect', () => done(true));
    socket.on('error', () => done(false));
  });
}

/** "pid 123 (redis-server)" when `ss` can tell, else undefined. */
export function portHolder(port: number): string | undefined {
  try {
    const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const m = /users:\(\("([^"]+)",pid=(\d+)/.exec(out);
    return m ? `pid ${m[2]} (${m[1]})` : undefined;
  } catch {
    return undefined;
  }
}
