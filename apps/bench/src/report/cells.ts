import { SATURATED_IDLE_PERCENT } from '../machine-load.ts';
import { type DisplayUnit, formatIn } from '../results/metrics.ts';
import type { Entry } from '../results/schema.ts';
import { rangeOf } from '../spread.ts';

/** Marks a figure measured while the machine's CPU was saturated. */
export const SATURATED_MARK = '‡';

/** The rounds' values of a figure (the figure alone when it ran once). */
export function roundsOf(entry: Entry | undefined, metric: string): (number | null)[] {
  if (entry === undefined || entry.status !== 'ok') return [];
  return [...(entry.perRound?.[metric] ?? [entry.metrics[metric] ?? null])];
}

/** True when some round of the entry ran with less than 5% of the CPU idle. */
export function saturated(entry: Entry | undefined): boolean {
  return roundsOf(entry, 'cpuIdlePercent').some((v) => v !== null && v < SATURATED_IDLE_PERCENT);
}

/**
 * One table cell: the figure in the column's unit, its spread over the rounds as `(min–max)`, a
 * leading `>` when it is only a lower bound (censored waits) and ‡ when the CPU was saturated.
 */
export function cell(entry: Entry | undefined, metric: string, unit: DisplayUnit, spread = true): string {
  if (entry === undefined || entry.status !== 'ok') return '–';
  const value = entry.metrics[metric];
  if (value === null || value === undefined) return '–';
  const bound = entry.lowerBounds?.includes(metric) ? '> ' : '';
  const range = spread ? rangeOf(entry.perRound?.[metric] ?? []) : null;
  const r =
    range === null || range[0] === range[1]
      ? ''
      : ` (${formatIn(unit, range[0])}–${formatIn(unit, range[1])})`;
  return `${bound}${formatIn(unit, value)}${r}${saturated(entry) ? ` ${SATURATED_MARK}` : ''}`;
}

/** A header with its unit: `wait p99 (ms)`. */
export function header(label: string, unit: DisplayUnit): string {
  return unit.name === '' ? label : `${label} (${unit.name})`;
}
