// One contending worker process of the bench: its own connection(s), acquire → 1 ms critical
// section → release → 1 ms think, until the deadline. Times are process.hrtime (CLOCK_MONOTONIC,
// the same clock in every process of the machine), so the parent can measure handoffs.
import { Redis } from 'ioredis';
import { type Held, MECHANISMS, type Servers } from './mechanisms.ts';

interface Start {
  readonly mechanism: string;
  readonly servers: Servers;
  readonly key: string;
  readonly durationMs: number;
  readonly criticalMs: number;
  readonly thinkMs: number;
}

// Every command any ioredis client of this process sends (pipelined ones included).
let commands = 0;
const send = Redis.prototype.sendCommand;
Redis.prototype.sendCommand = function (this: Redis, ...args: Parameters<typeof send>) {
  commands += 1;
  return send.apply(this, args);
};

const nowNs = () => Number(process.hrtime.bigint());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

process.once('message', async (start: Start) => {
  const mechanism = await MECHANISMS[start.mechanism]!(start.servers);
  process.send?.({ ready: true });
  await new Promise((resolve) => process.once('message', resolve)); // go
  commands = 0;
  const samples: number[] = []; // [requested, acquired, releasing, released] per acquisition, ns
  let failures = 0;
  const deadline = nowNs() + start.durationMs * 1e6;
  while (nowNs() < deadline) {
    const requested = nowNs();
    let held: Held | undefined;
    for (;;) {
      try {
        held = await mechanism.acquire(start.key);
        break;
      } catch {
        failures += 1; // the peer gave up (retry limit or timeout): ask again, the wait goes on
        if (nowNs() > deadline + 30e9) break;
      }
    }
    if (!held) break;
    const acquired = nowNs();
    await sleep(start.criticalMs);
    const releasing = nowNs();
    await held.release();
    const released = nowNs();
    samples.push(requested, acquired, releasing, released);
    await sleep(start.thinkMs);
  }
  const sent = commands;
  await mechanism.close();
  process.send?.({ samples, failures, commands: sent }, () => process.exit(0));
});
