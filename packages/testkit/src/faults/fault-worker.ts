/**
 * A fault-suite worker in its own process, started by the suite's run. It builds its client from
 * the target's module and, until told to stop, acquires the key, does a fenced read-modify-write
 * of the parent's counter (asking the parent for every enter, read, step, write and exit, and
 * waiting for each answer), and releases. While it holds, it reads `lease.signal.aborted` every
 * `observeMs`, and reports when it last read the lease as held: a holder that reads "held" after
 * another client got the lock lost it silently. Every event is stamped with
 * `process.hrtime.bigint()` (CLOCK_MONOTONIC, shared by the processes of one host).
 */
import type { Lease, LockClient } from '@locksmith/core';
import { sleep } from '@locksmith/core/protocol';
import { DEFAULT_CLIENT_EXPORT, loadClient } from '../client-module.ts';
import type { RequestBody } from '../ledger-ipc.ts';
import type { LedgerRead } from '../safety-ledger.ts';
import {
  FAULT_WORKER_ENV,
  type FaultCommand,
  type FaultNotice,
  type FaultRequest,
  type FaultWorkerConfig,
  type FaultWorkerEvent,
} from './fault-ipc.ts';

const now = () => process.hrtime.bigint();
const pending = new Map<number, (result: unknown) => void>();
const stopping = new AbortController();
let nextId = 0;

const describe = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);
const codeOf = (error: unknown) =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'ERROR';

function notify(message: FaultNotice): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected) return resolve();
    process.send?.(message, () => resolve());
  });
}

const emit = (event: FaultWorkerEvent) => void notify({ op: 'event', event });

function ask(body: RequestBody<FaultRequest>): Promise<unknown> {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    process.send?.({ ...body, id } as FaultRequest);
  });
}

/** Holds `lease` through one increment; returns when it last read the lease as held. */
async function hold(lease: Lease, config: FaultWorkerConfig, iteration: number): Promise<bigint> {
  let lastHeldAt = 0n;
  let lookedAt = now(); // when the last read finished
  const look = () => {
    const t = now();
    if (!lease.signal.aborted) lastHeldAt = t;
    lookedAt = now();
  };
  lease.signal.addEventListener('abort', () => {
    const reason = lease.signal.reason as { reason?: unknown } | undefined;
    const t = now();
    // A long gap since the last read: the process did not run (paused, not scheduled) before this.
    const sinceLookMs = Number(t - lookedAt) / 1e6;
    emit({ type: 'lost', iteration, t, reason: String(reason?.reason ?? codeOf(reason)), sinceLookMs });
  });
  look();
  const observer = setInterval(look, config.observeMs);
  const holder = `${config.lane}/${iteration}`;
  try {
    await ask({ op: 'enter', holder });
    const read = (await ask({ op: 'read', token: lease.token })) as LedgerRead;
    look();
    if (read.ok) {
      await sleep(config.criticalMs);
      await ask({ op: 'step', iteration, token: lease.token });
      look();
      // Written even when the signal says lost: a holder that did not look, which fencing is for.
      await ask({ op: 'write', token: lease.token, value: read.value + 1, version: read.version });
    }
    await ask({ op: 'exit', holder });
  } finally {
    clearInterval(observer);
  }
  look();
  return lastHeldAt;
}

async function work(client: LockClient, config: FaultWorkerConfig): Promise<void> {
  for (let iteration = 0; !stopping.signal.aborted; iteration += 1) {
    emit({ type: 'acquiring', iteration, t: now() });
    let lease: Lease;
    try {
      lease = await client.acquire(config.key, {
        ttlMs: config.ttlMs,
        waitMs: config.waitMs,
        signal: stopping.signal,
      });
    } catch (error) {
      if (stopping.signal.aborted) return;
      emit({ type: 'acquire-failed', iteration, t: now(), code: codeOf(error), message: describe(error) });
      await sleep(Math.min(config.ttlMs, 100)); // the backend may be away: do not spin
      continue;
    }
    emit({ type: 'acquired', iteration, t: now(), token: lease.token });
    const lastHeldAt = await hold(lease, config, iteration);
    emit({ type: 'releasing', iteration, t: now(), lastHeldAt });
    try {
      await lease.release();
      emit({ type: 'released', iteration, t: now() });
    } catch (error) {
      emit({ type: 'released', iteration, t: now(), error: `${codeOf(error)}: ${describe(error)}` });
    }
  }
}

async function main(): Promise<void> {
  if (process.send === undefined) throw new Error('fault-worker must be started with an IPC channel (fork)');
  const raw = process.env[FAULT_WORKER_ENV];
  if (raw === undefined) throw new Error(`${FAULT_WORKER_ENV} is not set`);
  const config = JSON.parse(raw) as FaultWorkerConfig;
  process.on('unhandledRejection', (reason) =>
    emit({ type: 'unhandled-rejection', t: now(), message: describe(reason) }),
  );
  process.on('uncaughtException', (error) =>
    emit({ type: 'uncaught-exception', t: now(), message: describe(error) }),
  );
  process.on('message', (message: FaultCommand) => {
    if ('op' in message) stopping.abort(new Error('stopped'));
    else {
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    }
  });
  // The parent owns the counter and the timeline: without it there is nothing left to do.
  process.on('disconnect', () => process.exit(2));

  const client = await loadClient(config.module, config.exportName || DEFAULT_CLIENT_EXPORT, process.env);
  client.on('error', (error) =>
    emit({ type: 'client-error', t: now(), code: codeOf(error), message: describe(error) }),
  );
  try {
    await ask({ op: 'ready', fencing: client.capabilities.fencing });
    await work(client, config);
  } finally {
    await client.close();
  }
  await notify({ op: 'done' });
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`fault-worker: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
  process.exit(1);
});
