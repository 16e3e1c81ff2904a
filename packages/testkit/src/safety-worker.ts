/**
 * A safety-checker worker in its own process, started by `checkSafetyAcrossProcesses`. It builds
 * its client from the user's module and runs the same worker loop as the in-process checker, with
 * every touch of the counter sent to the parent over IPC and answered before it goes on, so the
 * parent sees enters, reads, writes and exits in their real order.
 */
import { DEFAULT_CLIENT_EXPORT, loadClient } from './client-module.ts';
import type { LedgerReply, RequestBody } from './ledger-ipc.ts';
import {
  SAFETY_CONFIG_ENV,
  type SafetyChildConfig,
  type SafetyDone,
  type SafetyRequest,
} from './safety-ipc.ts';
import type { LedgerRead } from './safety-ledger.ts';
import { runSafetyWorker } from './safety-worker-loop.ts';

const pending = new Map<number, (result: LedgerReply['result']) => void>();
let nextId = 0;

function ask(body: RequestBody<SafetyRequest>): Promise<LedgerReply['result']> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, resolve);
    process.send?.({ ...body, id } as SafetyRequest, (error: Error | null) => {
      if (error) reject(error);
    });
  });
}

async function main(): Promise<void> {
  if (process.send === undefined)
    throw new Error('safety-worker must be started with an IPC channel (child_process.fork)');
  const raw = process.env[SAFETY_CONFIG_ENV];
  if (raw === undefined) throw new Error(`${SAFETY_CONFIG_ENV} is not set`);
  const config = JSON.parse(raw) as SafetyChildConfig;
  process.on('message', (reply: LedgerReply) => {
    pending.get(reply.id)?.(reply.result);
    pending.delete(reply.id);
  });
  // The parent owns the counter: without it there is nothing left to check.
  process.on('disconnect', () => process.exit(2));

  const client = await loadClient(config.module, config.exportName || DEFAULT_CLIENT_EXPORT, process.env);
  try {
    await ask({ op: 'ready' }); // the parent answers once every worker has its client: all start together
    const stats = await runSafetyWorker(
      client,
      {
        enter: async (holder) => void (await ask({ op: 'enter', holder })),
        exit: async (holder) => void (await ask({ op: 'exit', holder })),
        read: async (token) => (await ask({ op: 'read', token })) as LedgerRead,
        step: async (_worker, iteration, lease) =>
          void (await ask({ op: 'step', iteration, token: lease.token })),
        write: async (token, value, version) => (await ask({ op: 'write', token, value, version })) === true,
      },
      config,
    );
    const done: SafetyDone = { op: 'done', stats };
    await new Promise<void>((resolve, reject) =>
      process.send?.(done, (error: Error | null) => (error ? reject(error) : resolve())),
    );
  } finally {
    await client.close();
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `safety-worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
