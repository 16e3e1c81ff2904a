/**
 * The holder: a child process that takes one lock and keeps it, for the kill -9 test.
 *
 *   node holder.mjs --module ./client.mjs [--export createClient] --key K [--ttl-ms 2000] [--no-renew]
 *
 * It prints `HOLDING <token>` once it holds the lock, `LOST <code>` if the lease is lost, then
 * reads commands on stdin: `release` (release, print `RELEASED`, exit 0) or `abandon` (exit at
 * once without releasing). End of stdin (the parent went away) releases and exits. Any failure
 * prints `ERROR <message>` and exits 1.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { DEFAULT_CLIENT_EXPORT, loadClient } from './client-module.ts';

const { values } = parseArgs({
  options: {
    module: { type: 'string' },
    export: { type: 'string', default: DEFAULT_CLIENT_EXPORT },
    key: { type: 'string' },
    'ttl-ms': { type: 'string' },
    'wait-ms': { type: 'string' },
    'no-renew': { type: 'boolean', default: false },
  },
});

function fail(error: unknown): never {
  process.stdout.write(`ERROR ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  if (values.module === undefined || values.key === undefined)
    throw new Error('--module and --key are required');
  const client = await loadClient(values.module, values.export, process.env);
  client.on('error', (error) => process.stdout.write(`LOST ${error.code}\n`));
  const lease = await client.acquire(values.key, {
    ...(values['ttl-ms'] === undefined ? {} : { ttlMs: Number(values['ttl-ms']) }),
    ...(values['wait-ms'] === undefined ? {} : { waitMs: Number(values['wait-ms']) }),
    autoRenew: !values['no-renew'],
  });
  process.stdout.write(`HOLDING ${lease.token}\n`);

  let done = false;
  const release = async () => {
    if (done) return;
    done = true;
    await lease.release();
    await client.close();
    process.stdout.write('RELEASED\n');
    process.exit(0);
  };
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const command = line.trim();
    if (command === 'abandon') process.exit(0);
    if (command === 'release') release().catch(fail);
  });
  lines.on('close', () => release().catch(fail));
}

main().catch(fail);
