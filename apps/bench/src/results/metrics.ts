/** How a figure is read: its unit, which direction is better, and a column label. */
export interface MetricInfo {
  readonly label: string;
  readonly unit: 'us' | 'ms' | 'ops/s' | 'ratio' | 'count' | 'bytes' | '%' | 'index';
  /** `lower` or `higher` is better; `none` for parameters echoed into the results. */
  readonly better: 'lower' | 'higher' | 'none';
}

/**
 * Every figure a scenario may report, by the name used in `results.json` (`entries[].metrics`).
 * The names carry their unit (`Us` microseconds, `Ms` milliseconds).
 */
export const METRICS = {
  // latency of one acquire+release (uncontended, many-keys)
  opsPerSec: { label: 'acquire+release/s', unit: 'ops/s', better: 'higher' },
  meanUs: { label: 'mean', unit: 'us', better: 'lower' },
  p50Us: { label: 'p50', unit: 'us', better: 'lower' },
  p99Us: { label: 'p99', unit: 'us', better: 'lower' },
  p999Us: { label: 'p99.9', unit: 'us', better: 'lower' },
  maxUs: { label: 'max', unit: 'us', better: 'lower' },
  acquireP50Us: { label: 'acquire p50', unit: 'us', better: 'lower' },
  samples: { label: 'samples', unit: 'count', better: 'none' },
  // contention (contended, handoff, fairness)
  workers: { label: 'workers', unit: 'count', better: 'none' },
  acquisitions: { label: 'acquisitions', unit: 'count', better: 'none' },
  acquisitionsPerSec: { label: 'acquisitions/s', unit: 'ops/s', better: 'higher' },
  waitP50Us: { label: 'wait p50', unit: 'us', better: 'lower' },
  waitP99Us: { label: 'wait p99', unit: 'us', better: 'lower' },
  waitMaxUs: { label: 'wait max', unit: 'us', better: 'lower' },
  handoffP50Us: { label: 'handoff p50', unit: 'us', better: 'lower' },
  handoffP99Us: { label: 'handoff p99', unit: 'us', better: 'lower' },
  handoffs: { label: 'hand-offs', unit: 'count', better: 'none' },
  commandsPerAcquisition: {
    label: 'server commands/acquisition, counting those run inside Lua scripts (INFO commandstats)',
    unit: 'ratio',
    better: 'lower',
  },
  commandsSentPerAcquisition: {
    label: 'commands sent by the clients per acquisition (client side; a script call is one)',
    unit: 'ratio',
    better: 'lower',
  },
  requestsPerAcquisition: {
    label: 'client socket writes per acquisition (≈ round trips; a pipeline is one)',
    unit: 'ratio',
    better: 'lower',
  },
  commandsSentPerOp: { label: 'commands sent per acquire+release', unit: 'ratio', better: 'lower' },
  requestsPerOp: {
    label: 'client socket writes per acquire+release (≈ round trips)',
    unit: 'ratio',
    better: 'lower',
  },
  pendingAtEnd: { label: 'waits still pending at the window end (censored)', unit: 'count', better: 'lower' },
  neverGranted: { label: 'requests never granted', unit: 'count', better: 'lower' },
  beganInWarmup: { label: 'grants to requests begun in the warm-up', unit: 'count', better: 'none' },
  offeredPerSec: { label: 'offered load (arrivals/s)', unit: 'ops/s', better: 'none' },
  arrivalsPerSec: { label: 'arrivals/s in the window', unit: 'ops/s', better: 'none' },
  arrivals: { label: 'arrivals', unit: 'count', better: 'none' },
  cpuIdlePercent: { label: 'machine CPU idle during the window', unit: '%', better: 'none' },
  cpuStealPercent: { label: 'CPU stolen by the hypervisor during the window', unit: '%', better: 'none' },
  loadAverage1: { label: 'load average (1 min) at the window end', unit: 'ratio', better: 'none' },
  roundTripsPerAcquisition: {
    label: 'server socket reads/acquisition (≈ round trips)',
    unit: 'ratio',
    better: 'lower',
  },
  jain: { label: "Jain's index", unit: 'index', better: 'higher' },
  minShare: { label: 'smallest share', unit: 'ratio', better: 'higher' },
  longestWaitMs: { label: 'longest wait', unit: 'ms', better: 'lower' },
  overlaps: { label: 'exclusion overlaps', unit: 'count', better: 'lower' },
  errors: { label: 'errors', unit: 'count', better: 'lower' },
  // many keys
  keys: { label: 'keys', unit: 'count', better: 'none' },
  // held leases
  leases: { label: 'leases', unit: 'count', better: 'none' },
  ttlMs: { label: 'TTL', unit: 'ms', better: 'none' },
  cpuPercent: { label: 'CPU (% of a core)', unit: '%', better: 'lower' },
  rssBytes: { label: 'RSS growth', unit: 'bytes', better: 'lower' },
  heapBytesPerLease: { label: 'heap/lease', unit: 'bytes', better: 'lower' },
  roundTripsPerTtl: { label: 'round trips per TTL (client socket writes)', unit: 'count', better: 'lower' },
  commandsSentPerTtl: { label: 'commands sent per TTL (client side)', unit: 'count', better: 'lower' },
  commandsPerTtl: { label: 'server commands per TTL', unit: 'count', better: 'lower' },
  lost: { label: 'leases lost', unit: 'count', better: 'lower' },
  acquireAllMs: { label: 'time to acquire all', unit: 'ms', better: 'lower' },
  // recovery
  recoveryMs: { label: 'recovery (median)', unit: 'ms', better: 'lower' },
  recoveryMaxMs: { label: 'recovery (max)', unit: 'ms', better: 'lower' },
  // failover
  electedMs: { label: 'new leader after the fault (median)', unit: 'ms', better: 'lower' },
  electedMaxMs: { label: 'new leader after the fault (max)', unit: 'ms', better: 'lower' },
  staleAfterResumeMs: { label: 'old leader unaware after resume (median)', unit: 'ms', better: 'lower' },
  staleAfterResumeMaxMs: { label: 'old leader unaware after resume (max)', unit: 'ms', better: 'lower' },
  trials: { label: 'trials', unit: 'count', better: 'none' },
  rounds: { label: 'rounds', unit: 'count', better: 'none' },
  // harness overhead
  harnessOpsPerSec: { label: 'through the harness', unit: 'ops/s', better: 'higher' },
  tinybenchOpsPerSec: { label: 'tinybench, direct', unit: 'ops/s', better: 'higher' },
  overheadRatio: { label: 'tinybench / harness', unit: 'ratio', better: 'lower' },
} as const satisfies Record<string, MetricInfo>;

export type MetricName = keyof typeof METRICS;

/** Formats a figure for tables: thousands separators, units where they help. */
export function formatMetric(name: string, value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const info = (METRICS as Record<string, MetricInfo>)[name];
  const unit = info?.unit;
  if (unit === 'us')
    return value >= 10_000 ? `${fmt(value / 1000, 1)} ms` : `${fmt(value, value >= 100 ? 0 : 1)} µs`;
  if (unit === 'ms')
    return value >= 10_000 ? `${fmt(value / 1000, 2)} s` : `${fmt(value, value >= 100 ? 0 : 1)} ms`;
  if (unit === 'ops/s') return fmt(value, 0);
  if (unit === 'bytes')
    return value >= 1 << 20 ? `${fmt(value / (1 << 20), 1)} MiB` : `${fmt(value / 1024, 1)} KiB`;
  if (unit === '%') return `${fmt(value, 1)}%`;
  if (unit === 'index') return fmt(value, 3);
  if (unit === 'ratio') return fmt(value, 2);
  return fmt(value, Number.isInteger(value) ? 0 : 1);
}

function fmt(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** The unit a whole column is shown in: one per column, named in its header. */
export interface DisplayUnit {
  /** Header suffix: `µs`, `ms`, `s`, `%`, or '' for plain numbers. */
  readonly name: string;
  /** Divide a stored value by this to show it. */
  readonly divisor: number;
  readonly digits: number;
}

/** The unit to show every value of `metric` in a column holding `values`: the largest decides. */
export function displayUnit(metric: string, values: readonly (number | null | undefined)[]): DisplayUnit {
  const unit = (METRICS as Record<string, MetricInfo>)[metric]?.unit;
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const max = finite.length === 0 ? 0 : Math.max(...finite.map(Math.abs));
  const min = finite.length === 0 ? 0 : Math.min(...finite.map(Math.abs));
  const digitsFor = (lo: number) => (lo >= 100 ? 0 : lo >= 10 ? 1 : 2);
  if (unit === 'us') {
    if (max >= 10_000) return { name: 'ms', divisor: 1000, digits: digitsFor(min / 1000) };
    return { name: 'µs', divisor: 1, digits: Math.min(1, digitsFor(min)) };
  }
  if (unit === 'ms') {
    if (max >= 10_000) return { name: 's', divisor: 1000, digits: 2 };
    return { name: 'ms', divisor: 1, digits: Math.min(1, digitsFor(min)) };
  }
  if (unit === 'bytes') return { name: 'KiB', divisor: 1024, digits: 1 };
  if (unit === '%') return { name: '%', divisor: 1, digits: 1 };
  if (unit === 'index') return { name: '', divisor: 1, digits: 3 };
  if (unit === 'ratio') return { name: '', divisor: 1, digits: 2 };
  if (unit === 'ops/s') return { name: '', divisor: 1, digits: 0 };
  return { name: '', divisor: 1, digits: finite.every(Number.isInteger) ? 0 : 1 };
}

/** A value in a column's unit, without the unit (the header names it). */
export function formatIn(unit: DisplayUnit, value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return fmt(value / unit.divisor, unit.digits);
}
