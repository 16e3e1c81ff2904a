import { formatMetric } from '../results/metrics.ts';
import type { BenchResults } from '../results/schema.ts';
import { Lookup } from './lookup.ts';

/** One column of the headline table: a figure of one scenario (its first variant). */
export interface HeadlineColumn {
  readonly key: string;
  readonly label: string;
  readonly scenario: string;
  readonly metric: string;
  /** Also show the ratio of this figure to the mechanism's floor. */
  readonly vsFloor?: boolean;
  /** Take the scenario's last variant (its largest worker count) instead of the first. */
  readonly last?: boolean;
}

export const HEADLINE_COLUMNS: readonly HeadlineColumn[] = [
  { key: 'p50', label: 'uncontended p50', scenario: 'uncontended', metric: 'p50Us', vsFloor: true },
  { key: 'p99', label: 'uncontended p99', scenario: 'uncontended', metric: 'p99Us' },
  { key: 'handoffP50', label: 'handoff p50', scenario: 'handoff', metric: 'handoffP50Us', last: true },
  { key: 'handoffP99', label: 'handoff p99', scenario: 'handoff', metric: 'handoffP99Us', last: true },
  { key: 'waitP99', label: 'wait p99', scenario: 'handoff', metric: 'waitP99Us', last: true },
  {
    key: 'throughput',
    label: 'acq/s',
    last: true,
    scenario: 'handoff',
    metric: 'acquisitionsPerSec',
    vsFloor: true,
  },
  { key: 'commands', label: 'cmds/acq', scenario: 'handoff', metric: 'commandsPerAcquisition', last: true },
  { key: 'jain', label: 'Jain (tight loop)', scenario: 'fairness', metric: 'jain', last: true },
  { key: 'recovery', label: 'recovery', scenario: 'recovery', metric: 'recoveryMs' },
];

export interface HeadlineRow {
  readonly mechanism: string;
  readonly kind: string;
  readonly values: Readonly<Record<string, number | null>>;
  /** Figure ÷ floor's figure for columns with `vsFloor`. */
  readonly ratios: Readonly<Record<string, number | null>>;
}

/** The headline figures of every mechanism that ran. */
export function headlineRows(results: BenchResults): HeadlineRow[] {
  const look = new Lookup(results);
  return look.ran.map((m) => {
    const values: Record<string, number | null> = {};
    const ratios: Record<string, number | null> = {};
    for (const c of HEADLINE_COLUMNS) {
      const variant = c.last ? look.variants(c.scenario).at(-1) : undefined;
      values[c.key] = look.metric(m.name, c.scenario, c.metric, variant);
      if (c.vsFloor) {
        const floor = m.floor === null ? null : look.metric(m.floor, c.scenario, c.metric, variant);
        const v = values[c.key];
        ratios[c.key] = v === null || v === undefined || floor === null || floor === 0 ? null : v / floor;
      }
    }
    return { mechanism: m.name, kind: m.kind, values, ratios };
  });
}

/** The headline table as cells (header row first), ratio columns after the figures they qualify. */
export function headlineCells(results: BenchResults): string[][] {
  const header = ['mechanism', 'kind'];
  for (const c of HEADLINE_COLUMNS) {
    header.push(c.label);
    if (c.vsFloor) header.push('× floor');
  }
  const rows = headlineRows(results).map((r) => {
    const cells = [r.mechanism, r.kind];
    for (const c of HEADLINE_COLUMNS) {
      cells.push(formatMetric(c.metric, r.values[c.key]));
      if (c.vsFloor) {
        const ratio = r.ratios[c.key];
        cells.push(ratio === null || ratio === undefined ? '–' : `${ratio.toFixed(2)}×`);
      }
    }
    return cells;
  });
  return [header, ...rows];
}

/** Plain-text table with aligned columns (the terminal summary). */
export function textTable(cells: readonly (readonly string[])[]): string {
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) =>
    row.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

/** Markdown table. */
export function markdownTable(cells: readonly (readonly string[])[]): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  const [head, ...rows] = cells;
  return [
    `| ${head!.map(esc).join(' | ')} |`,
    `|${head!.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}
