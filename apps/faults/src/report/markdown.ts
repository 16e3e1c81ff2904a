import type { FaultsResults } from '../results.ts';
import type { Chart } from './charts.ts';
import { COLUMN_NOTES } from './legend.ts';
import { COUNT_HEADERS, countCells, type Row } from './rows.ts';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The heading lines both reports share. */
export function summaryLines(results: FaultsResults): string[] {
  const m = results.machine;
  const servers = Object.entries(results.servers)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return [
    `Run ${results.id}: ${results.options.quick ? 'quick' : 'full'}, ${results.options.workers} worker processes per run, ` +
      `${Math.round(results.durationMs / 1000)} s in all, started ${results.startedAt}.`,
    `Machine: ${m.cpus} × ${m.cpuModel}, Node ${m.node}, ${m.platform}; load average ${m.load[0].toFixed(1)} at the start, ${m.load[1].toFixed(1)} at the end.`,
    `Servers: ${servers || 'none'}.`,
  ];
}

/** report.md: the table, what its columns mean, and one timeline per fault (charts/*.svg). */
export function markdownReport(
  results: FaultsResults,
  rows: readonly Row[],
  charts: readonly Chart[],
): string {
  const lines = [`# Fault suite: ${results.id}`, '', ...summaryLines(results).map((l) => `${l}  `), ''];
  const failed = rows.filter((r) => r.verdict === 'FAIL' || r.verdict === 'error');
  lines.push(
    failed.length === 0
      ? 'Every fault that ran passed: no stale write accepted, no increment lost, no silent loss outside a documented gap, no unhandled rejection, no lock held forever.'
      : `**${failed.length} failed:** ${failed.map((r) => `${r.backend} ${r.fault}`).join(', ')}.`,
    '',
  );
  lines.push(`| backend | fault | verdict | ${COUNT_HEADERS.join(' | ')} | notes |`);
  lines.push(`|${' --- |'.repeat(COUNT_HEADERS.length + 4)}`);
  for (const row of rows) {
    const injections = row.result?.injections
      .map(
        (i) =>
          `${i.label}${i.recoveryMs === null ? '' : ` (recovered in ${Math.round(i.recoveryMs)} ms)`}${i.note ? `: ${i.note}` : ''}`,
      )
      .join('; ');
    const notes = [row.detail, injections].filter((n) => n !== undefined && n !== '').join(' — ');
    lines.push(
      `| ${row.backend} | ${row.fault} | ${row.verdict} | ${countCells(row.result).map(cell).join(' | ')} | ${cell(notes)} |`,
    );
  }
  const notes = results.targets.filter((t) => t.note !== undefined);
  if (notes.length > 0) {
    lines.push('', '## Notes', '');
    for (const t of notes) lines.push(`- **${t.name}**: ${t.note}`);
  }
  lines.push('', '## Columns', '');
  for (const [name, meaning] of COLUMN_NOTES) lines.push(`- **${name}**: ${meaning}`);
  lines.push('', '## One run per fault', '');
  lines.push(
    'Each worker is a lane; a bar is a lease from its acquire to its release (orange: superseded after its signal aborted; purple: lost at first look; red: silent loss; grey: holder killed); a red triangle marks `lease.signal` aborting, a cross a killed worker; the fault is shaded.',
    '',
  );
  for (const chart of charts)
    lines.push(`### ${chart.fault} (${chart.backend})`, '', `![${chart.fault}](${chart.file})`, '');
  return `${lines.join('\n')}\n`;
}
