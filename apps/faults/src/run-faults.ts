import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { releaseStartedServers, reportsDir } from '@locksmith/app-kit';
import { runFaultSuite } from '@locksmith/testkit';
import type { RunArgs } from './args.ts';
import { clientModules } from './client-bundle.ts';
import { rowsOf } from './report/rows.ts';
import { writeReport } from './report/write-report.ts';
import { compact, type FaultsResults, type TargetResult } from './results.ts';
import { findServers, type Servers } from './servers.ts';
import { targetNamed } from './targets/registry.ts';
import type { TargetDefinition } from './targets/target-definition.ts';

type Log = (line: string) => void;

/**
 * Runs every selected fault on every selected backend, logging progress, writes the report and
 * resolves the exit code: 1 when a fault failed or erred. The last line it logs says what became
 * of the servers the run started: stopped, unless `--keep-servers`.
 */
export async function runFaults(args: RunArgs, log: Log): Promise<number> {
  const started = performance.now();
  const startedAt = new Date().toISOString(); // wall time, for the report's heading only
  const load0 = loadavg()[0] ?? 0;
  const elapsed = () => {
    const s = Math.round((performance.now() - started) / 1000);
    return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  };
  const say = (line: string) => log(`[${elapsed()}] ${line}`);
  const definitions = args.backends.map(targetNamed);
  const servers = await findServers(
    definitions.flatMap((d) => d.requires),
    args.faults.some((f) => f === 'latency' || f === 'cut'),
    say,
  );
  try {
    const targets = await runTargets(args, definitions, servers, say);
    const cpu = cpus();
    const results: FaultsResults = {
      id: args.id ?? `${startedAt.slice(0, 19).replace(/:/g, '-')}Z-${args.quick ? 'quick' : 'full'}`,
      startedAt,
      durationMs: performance.now() - started,
      machine: {
        cpus: cpu.length,
        cpuModel: cpu[0]?.model ?? 'unknown',
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
        load: [load0, loadavg()[0] ?? 0],
      },
      options: {
        quick: args.quick,
        workers: args.workers ?? 3,
        faults: args.faults,
        backends: args.backends,
      },
      servers: servers.versions,
      targets,
    };
    const dir = join(reportsDir('faults'), results.id);
    writeReport(results, dir);
    const failed = rowsOf(results).filter((r) => r.verdict === 'FAIL' || r.verdict === 'error');
    for (const r of failed) log(`${r.verdict}: ${r.backend} ${r.fault}: ${r.detail}`);
    log(`report: ${join(dir, 'report.html')} (and report.md)`);
    return failed.length === 0 ? 0 : 1;
  } finally {
    // The run's last line: what became of the servers it started (none when all already served).
    const line = await releaseStartedServers(servers.started, args.keepServers === true);
    if (line !== undefined) log(line);
  }
}

/** Every selected fault on each backend whose servers answer; the others say why they did not run. */
async function runTargets(
  args: RunArgs,
  definitions: readonly TargetDefinition[],
  servers: Servers,
  say: Log,
): Promise<TargetResult[]> {
  const module = await clientModules();
  const fileDir = mkdtempSync(join(tmpdir(), 'locksmith-faults-'));
  const targets: TargetResult[] = [];
  try {
    for (const definition of definitions) {
      const missing = definition.requires.map((r) => servers.missing.get(r)).find((m) => m !== undefined);
      if (missing !== undefined) {
        say(`${definition.name}: not run: ${missing}`);
        targets.push({
          name: definition.name,
          outcomes: args.faults.map((fault) => ({ fault, status: 'not-run', reason: missing })),
        });
        continue;
      }
      const target = definition.build({ env: process.env, module, fileDir });
      const result = await runFaultSuite(target, {
        faults: args.faults,
        quick: args.quick,
        ...(args.workers === undefined ? {} : { workers: args.workers }),
        onProgress: say,
      });
      targets.push({
        name: result.target,
        ...(definition.note === undefined ? {} : { note: definition.note }),
        outcomes: result.outcomes.map(compact),
      });
    }
  } finally {
    rmSync(fileDir, { recursive: true, force: true });
  }
  return targets;
}
