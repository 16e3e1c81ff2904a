// What clinic runs: one scenario on one mechanism, every worker in this process.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adapterNamed } from './adapters/registry.ts';
import { prepareBackends } from './backends.ts';
import { monotonicNs } from './clock.ts';
import { InProcessRunner } from './in-process-runner.ts';
import { scenarioNamed } from './scenarios/registry.ts';

const [mechanism, scenarioName, quick] = process.argv.slice(2);
const adapter = adapterNamed(mechanism ?? '');
const scenario = scenarioNamed(scenarioName ?? '');
const backends = await prepareBackends(adapter.requires, (line) => process.stderr.write(`${line}\n`));
const missing = [...backends.missing.values()][0];
if (missing !== undefined) throw new Error(`${adapter.name}: ${missing}`);
const fileDir = await mkdtemp(join(tmpdir(), 'locksmith-bench-profile-'));
const ctx = {
  pool: new InProcessRunner(),
  env: {
    fileDir,
    keyPrefix: `profile:${process.pid}:`,
    ...(backends.redisUrl === undefined ? {} : { redisUrl: backends.redisUrl }),
    ...(backends.redlockUrls === undefined ? {} : { redlockUrls: backends.redlockUrls }),
  },
  epoch: monotonicNs(),
  countersFor: () => undefined,
};
try {
  for (const plan of scenario.plans({ quick: quick === 'quick' })) {
    const m = await scenario.run(ctx, adapter, plan);
    process.stderr.write(
      `${scenario.name} ${plan.variant} · ${adapter.name}: ${m.status} ${JSON.stringify(m.metrics)}\n`,
    );
  }
} finally {
  await rm(fileDir, { recursive: true, force: true });
}
