import { type DisplayUnit, displayUnit, METRICS, type MetricInfo } from '../results/metrics.ts';
import type { BenchResults } from '../results/schema.ts';
import { bootstrapRatio } from '../spread.ts';
import { cell, header as headerOf, roundsOf, SATURATED_MARK } from './cells.ts';
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
  { key: 'sentUncontended', label: 'cmds sent/op', scenario: 'uncontended', metric: 'commandsSentPerOp' },
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
  {
    key: 'sent',
    label: 'cmds sent/acq',
    scenario: 'handoff',
    metric: 'commandsSentPerAcquisition',
    last: true,
  },
  {
    key: 'commands',
    label: 'server cmds/acq incl. Lua',
    scenario: 'handoff',
    metric: 'commandsPerAcquisition',
    last: true,
  },
  { key: 'jain', label: 'Jain (tight loop)', scenario: 'fairness', metric: 'jain', last: true },
  { key: 'recovery', label: 'recovery', scenario: 'recovery', metric: 'recoveryMs' },
];

export interface HeadlineRow {
  readonly mechanism: string;
  readonly kind: string;
  readonly values: Readonly<Record<string, number | null>>;
  /** Figure ÷ floor's figure for columns with `vsFloor`. */
  readonly ratios: Readonly<Record<string, number | null>>;
  /** 95% bootstrap interval of each ratio over the rounds, when both sides ran several rounds. */
  readonly ratioIntervals: Readonly<Record<string, readonly [number, number] | null>>;
  /**
   * Ratios that cannot be real: a latency below the floor's for a mechanism that sends at least
   * the floor's commands. Shown flagged as noise.
   */
  readonly noise: readonly string[];
}

/** The headline figures of every mechanism that ran. */
export function headlineRows(results: BenchResults): HeadlineRow[] {
  const look = new Lookup(results);
  return look.ran.map((m) => {
    const values: Record<string, number | null> = {};
    const ratios: Record<string, number | null> = {};
    const ratioIntervals: Record<string, readonly [number, number] | null> = {};
    const noise: string[] = [];
    for (const c of HEADLINE_COLUMNS) {
      const variant = c.last ? look.variants(c.scenario).at(-1) : undefined;
      values[c.key] = look.metric(m.name, c.scenario, c.metric, variant);
      if (!c.vsFloor) continue;
      const floor = m.floor === null ? null : look.metric(m.floor, c.scenario, c.metric, variant);
      const v = values[c.key];
      const ratio = v === null || v === undefined || floor === null || floor === 0 ? null : v / floor;
      ratios[c.key] = ratio;
      ratioIntervals[c.key] =
        ratio === null || m.floor === null
          ? null
          : bootstrapRatio(
              roundsOf(look.entry(m.name, c.scenario, variant), c.metric),
              roundsOf(look.entry(m.floor, c.scenario, variant), c.metric),
            );
      const better = (METRICS as Record<string, MetricInfo>)[c.metric]?.better;
      if (ratio !== null && better === 'lower' && ratio < 1 && m.floor !== null) {
        const sent = look.metric(m.name, c.scenario, 'commandsSentPerOp', variant);
        const floorSent = look.metric(m.floor, c.scenario, 'commandsSentPerOp', variant);
        // In-process locks send nothing: the floor does the least work by construction there too.
        if (sent === null || floorSent === null || sent >= floorSent) noise.push(c.key);
      }
    }
    return { mechanism: m.name, kind: m.kind, values, ratios, ratioIntervals, noise };
  });
}

/** A ratio with its interval and the noise flag. */
function ratioCell(row: HeadlineRow, key: string): string {
  const ratio = row.ratios[key];
  if (ratio === null || ratio === undefined) return '–';
  const ci = row.ratioIntervals[key];
  const interval = ci === null || ci === undefined ? '' : ` (${ci[0].toFixed(2)}–${ci[1].toFixed(2)})`;
  return `${ratio.toFixed(2)}×${interval}${row.noise.includes(key) ? ' ⚠ noise' : ''}`;
}

/**
 * The headline table as cells (header row first), ratio columns after the figures they qualify.
 * Every column has one unit, named in its header; each figure carries its spread over the rounds.
 */
export function headlineCells(results: BenchResults): string[][] {
  const look = new Lookup(results);
  const rows = headlineRows(results);
  const header = ['mechanism', 'kind'];
  const units = new Map<string, DisplayUnit>();
  for (const c of HEADLINE_COLUMNS) {
    const unit = displayUnit(
      c.metric,
      rows.map((r) => r.values[c.key]),
    );
    units.set(c.key, unit);
    header.push(headerOf(c.label, unit));
    if (c.vsFloor) header.push(c.scenario === 'uncontended' ? '× floor' : '× floor*');
  }
  const body = rows.map((r) => {
    const cells = [r.mechanism, r.kind];
    for (const c of HEADLINE_COLUMNS) {
      const variant = c.last ? look.variants(c.scenario).at(-1) : undefined;
      cells.push(cell(look.entry(r.mechanism, c.scenario, variant), c.metric, units.get(c.key)!));
      if (c.vsFloor) cells.push(ratioCell(r, c.key));
    }
    return cells;
  });
  return [header, ...body];
}

/** What the headline's columns are, for the lines under the table. */
export function headlineNote(results: BenchResults): string {
  const look = new Lookup(results);
  const polling = look.ran.filter((m) => m.kind === 'floor' && m.summary.includes('polling baseline'));
  const inProcess = look.ran.filter((m) => m.scope === 'process').map((m) => m.name);
  const rounds = results.params.scenarioParams.uncontended?.rounds;
  return [
    `Each figure: percentiles from the HDR histograms of all rounds merged${rounds === undefined ? '' : ` (${rounds} rounds, mechanism order rotated each round)`}, rates the median of the rounds; in brackets the smallest and largest round. “× floor” divides by the floor of the same backend, with a 95% bootstrap interval over the rounds; “⚠ noise” marks a latency below the floor for a mechanism that sends at least the floor’s commands, which cannot be real.`,
    `Hand-off, wait, acq/s and commands per acquisition come from the hand-off scenario: 8 workers, 1 ms held, 1 ms think; one worker process each${inProcess.length > 0 ? `, except ${inProcess.join(' and ')}, whose 8 workers share one process (the lock lives there)` : ''}. Waits run from when the worker meant to ask (release done + think time); “> X” is a lower bound: some waits were still pending when the window ended.`,
    `“cmds sent” counts what the client sent (a script call is one command); “server cmds incl. Lua” is INFO commandstats, which also counts every command a Lua script runs.${polling.length > 0 ? ` * Under contention ${polling.map((m) => m.name).join(', ')} poll every 1–2 ms: a polling baseline, not a lower bound.` : ''} ${SATURATED_MARK}: measured while the machine’s CPU was saturated (under 5% idle). Recovery is the TTL minus a settle time and is not ranked.`,
  ].join(' ');
}

/** The harness-overhead sentence for each in-process mechanism checked. */
export function overheadLines(results: BenchResults): string[] {
  const checks = results.overheadChecks ?? (results.overhead === null ? [] : [results.overhead]);
  return checks.map(
    (o) =>
      `Harness overhead (${o.mechanism}): ${o.harnessOpsPerSec.toLocaleString('en-US')} acquire+release/s through the harness vs ${o.tinybenchOpsPerSec.toLocaleString('en-US')}/s timed directly with tinybench (${o.ratio.toFixed(2)}×, limit ${o.limit}): ${o.pass ? 'the harness is not the bottleneck' : '**the harness is the bottleneck**'}.`,
  );
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

/** Markdown table: the first `textColumns` columns left-aligned, the figures right-aligned. */
export function markdownTable(cells: readonly (readonly string[])[], textColumns = 2): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  const [head, ...rows] = cells;
  return [
    `| ${head!.map(esc).join(' | ')} |`,
    `|${head!.map((_, i) => (i < textColumns ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}
