import type { Redis } from 'ioredis';

// The fewest round trips a Redis lock can make: SET NX PX to take, one script to give back only
// our own key, one script to extend only our own key.
const RELEASE =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const EXTEND =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

/** ioredis with the two floor scripts defined (EVALSHA, falling back to EVAL on NOSCRIPT). */
export interface FloorRedis extends Redis {
  floorRelease(key: string, token: string): Promise<number>;
  floorExtend(key: string, token: string, ttlMs: number): Promise<number>;
}

export function withFloorScripts(client: Redis): FloorRedis {
  client.defineCommand('floorRelease', { numberOfKeys: 1, lua: RELEASE });
  client.defineCommand('floorExtend', { numberOfKeys: 1, lua: EXTEND });
  return client as FloorRedis;
}

/** `SET key token NX PX ttl`: true when taken. */
export async function setNx(client: Redis, key: string, token: string, ttlMs: number): Promise<boolean> {
  return (await client.set(key, token, 'PX', ttlMs, 'NX')) === 'OK';
}

let counter = 0;
/** A holder id unique across the run's processes. */
export function newToken(): string {
  counter += 1;
  return `${process.pid}:${counter}`;
}

/** A hold a {@link BatchKeeper} renews. */
export interface KeptHold {
  readonly key: string;
  readonly token: string;
  readonly ttlMs: number;
  lost: boolean;
}

/**
 * The floor of renewal: one timer per client; every third of the shortest TTL it extends every
 * hold in one pipelined round trip per instance. A hold is lost when fewer than `quorum`
 * instances extended it.
 */
export class BatchKeeper {
  readonly #holds = new Set<KeptHold>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly clients: readonly FloorRedis[],
    private readonly quorum: number,
  ) {}

  add(hold: KeptHold): void {
    this.#holds.add(hold);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => void this.#renew(), Math.max(1, Math.floor(hold.ttlMs / 3)));
      this.#timer.unref();
    }
  }

  remove(hold: KeptHold): void {
    this.#holds.delete(hold);
    if (this.#holds.size === 0) this.stop();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #renew(): Promise<void> {
    const holds = [...this.#holds];
    const votes = new Array<number>(holds.length).fill(0);
    await Promise.all(
      this.clients.map(async (client) => {
        const pipeline = client.pipeline();
        for (const h of holds) (pipeline as unknown as FloorRedis).floorExtend(h.key, h.token, h.ttlMs);
        const replies = await pipeline.exec().catch(() => null);
        replies?.forEach(([error, value], i) => {
          if (error === null && value === 1) votes[i]! += 1;
        });
      }),
    );
    holds.forEach((h, i) => {
      if (votes[i]! < this.quorum && this.#holds.has(h)) {
        h.lost = true;
        this.#holds.delete(h);
      }
    });
  }
}
