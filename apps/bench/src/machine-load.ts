import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** Jiffies of all CPUs from the first line of `/proc/stat`. */
interface CpuTimes {
  readonly idle: number;
  readonly steal: number;
  readonly total: number;
}

/** The `cpu` line of `/proc/stat`; undefined where there is none (not Linux). */
export function readCpuTimes(): CpuTimes | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest is inside user)
    const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
    if (f.length < 8 || f.some((x) => !Number.isFinite(x))) return undefined;
    return { idle: f[3]! + f[4]!, steal: f[7]!, total: f.reduce((a, b) => a + b, 0) };
  } catch {
    return undefined;
  }
}

/** The machine during one measured window: idle and steal as % of all CPUs, load at its end. */
export interface WindowLoad {
  readonly cpuIdlePercent: number | null;
  readonly cpuStealPercent: number | null;
  readonly loadAverage1: number;
}

/** Below this idle share the CPU was saturated: the figure measures the machine as much as the lock. */
export const SATURATED_IDLE_PERCENT = 5;

/** Idle and steal between two readings. */
export function windowLoad(before: CpuTimes | undefined, after: CpuTimes | undefined): WindowLoad {
  const total = before === undefined || after === undefined ? 0 : after.total - before.total;
  const pct = (x: number) => Math.round((x / total) * 1000) / 10;
  return {
    cpuIdlePercent: total > 0 ? pct(after!.idle - before!.idle) : null,
    cpuStealPercent: total > 0 ? pct(after!.steal - before!.steal) : null,
    loadAverage1: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}
