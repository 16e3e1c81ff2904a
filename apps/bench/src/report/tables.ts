import { displayUnit } from '../results/metrics.ts';
import type { BenchResults } from '../results/schema.ts';
import { cell, header as headerOf } from './cells.ts';
import { Lookup } from './lookup.ts';

/** The figures each scenario's table shows, in order. */
export const SCENARIO_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  uncontended: [
    'opsPerSec',
    'p50Us',
    'p99Us',
    'p999Us',
    'maxUs',
    'acquireP50Us',
    'commandsSentPerOp',
    'requestsPerOp',
  ],
  contended: [
    'acquisitionsPerSec',
    'waitP50Us',
    'waitP99Us',
    'waitMaxUs',
    'handoffP50Us',
    'commandsSentPerAcquisition',
    'requestsPerAcquisition',
    'commandsPerAcquisition',
    'pendingAtEnd',
    'neverGranted',
    'cpuIdlePercent',
  ],
  handoff: [
    'handoffP50Us',
    'handoffP99Us',
    'waitP99Us',
    'acquisitionsPerSec',
    'commandsSentPerAcquisition',
    'requestsPerAcquisition',
    'commandsPerAcquisition',
    'pendingAtEnd',
    'overlaps',
  ],
  fairness: ['jain', 'minShare', 'longestWaitMs', 'acquisitionsPerSec', 'neverGranted'],
  'open-loop': [
    'arrivalsPerSec',
    'acquisitionsPerSec',
    'p50Us',
    'p99Us',
    'maxUs',
    'pendingAtEnd',
    'neverGranted',
    'cpuIdlePercent',
  ],
  'many-keys': ['opsPerSec', 'p50Us', 'p99Us'],
  'held-leases': [
    'cpuPercent',
    'rssBytes',
    'heapBytesPerLease',
    'roundTripsPerTtl',
    'commandsSentPerTtl',
    'commandsPerTtl',
    'lost',
    'acquireAllMs',
  ],
  recovery: ['recoveryMs', 'recoveryMaxMs', 'ttlMs'],
  failover: ['electedMs', 'electedMaxMs', 'staleAfterResumeMs', 'staleAfterResumeMaxMs', 'ttlMs'],
};

/** Cells of one scenario's table (header first) and the notes (failures, errors) under it. */
export function scenarioTable(
  results: BenchResults,
  scenario: string,
): { cells: string[][]; notes: string[] } {
  const look = new Lookup(results);
  const columns = SCENARIO_COLUMNS[scenario] ?? [];
  const variants = look.variants(scenario);
  const showVariant = variants.length > 1 || (variants[0] ?? '') !== '';
  const units = columns.map((c) =>
    displayUnit(
      c,
      look.entries(scenario).map((e) => e.metrics[c]),
    ),
  );
  const header = [
    'mechanism',
    ...(showVariant ? ['variant'] : []),
    ...columns.map((c, i) => headerOf(labelOf(c), units[i]!)),
  ];
  const cells: string[][] = [header];
  const notes: string[] = [];
  for (const variant of variants) {
    for (const m of look.ran) {
      const e = look.entry(m.name, scenario, variant);
      if (e === undefined) continue;
      const lead = [m.name, ...(showVariant ? [variant] : [])];
      if (e.status !== 'ok') {
        cells.push([...lead, ...columns.map((_, i) => (i === 0 ? e.status : ''))]);
        notes.push(
          `${m.name}${variant === '' ? '' : ` (${variant})`}: ${e.status}: ${e.reason ?? 'no reason given'}`,
        );
        continue;
      }
      cells.push([...lead, ...columns.map((c, i) => cell(e, c, units[i]!))]);
      if (e.reason !== null) notes.push(`${m.name}${variant === '' ? '' : ` (${variant})`}: ${e.reason}`);
    }
  }
  return { cells, notes };
}

function labelOf(metric: string): string {
  const labels: Record<string, string> = {
    opsPerSec: 'ops/s',
    acquisitionsPerSec: 'acq/s',
    commandsPerAcquisition: 'server cmds/acq incl. Lua',
    commandsSentPerAcquisition: 'cmds sent/acq',
    requestsPerAcquisition: 'writes/acq',
    commandsSentPerOp: 'cmds sent/op',
    requestsPerOp: 'writes/op',
    commandsSentPerTtl: 'cmds sent/TTL',
    pendingAtEnd: 'pending at end',
    neverGranted: 'never granted',
    cpuIdlePercent: 'CPU idle',
    arrivalsPerSec: 'arrivals/s',
    roundTripsPerAcquisition: 'reads/acq',
    roundTripsPerTtl: 'round trips/TTL',
    commandsPerTtl: 'server cmds/TTL',
    heapBytesPerLease: 'heap/lease',
    rssBytes: 'RSS growth',
    cpuPercent: 'CPU',
    acquireAllMs: 'acquire all',
    longestWaitMs: 'longest wait',
    minShare: 'min share',
    jain: 'Jain',
    recoveryMs: 'recovery',
    recoveryMaxMs: 'recovery max',
    electedMs: 'new leader after',
    electedMaxMs: 'new leader max',
    staleAfterResumeMs: 'stale leader after resume',
    staleAfterResumeMaxMs: 'stale max',
    ttlMs: 'TTL',
    acquireP50Us: 'acquire p50',
  };
  return (
    labels[metric] ??
    metric
      .replace(/Us$|Ms$/, '')
      .replace(/([A-Z])/g, ' $1')
      .toLowerCase()
      .replace('p999', 'p99.9')
  );
}
