import type { FaultsResults } from '../results.ts';
import type { Chart } from './charts.ts';
import { escapeHtml } from './escape-html.ts';
import { COLUMN_NOTES } from './legend.ts';
import { summaryLines } from './markdown.ts';
import { COUNT_HEADERS, countCells, type Row } from './rows.ts';

const code = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

const VERDICT_COLOURS: Record<Row['verdict'], string> = {
  pass: '#d9f2d9',
  FAIL: '#f8c9c4',
  'known gap': '#fde8c0',
  'n/a': '#eeeeee',
  'not run': '#eeeeee',
  error: '#f8c9c4',
};

/** report.html: self-contained, the table and every timeline inline. */
export function htmlReport(results: FaultsResults, rows: readonly Row[], charts: readonly Chart[]): string {
  const head = ['backend', 'fault', 'verdict', ...COUNT_HEADERS, 'notes']
    .map((h) => `<th>${escapeHtml(h)}</th>`)
    .join('');
  const body = rows
    .map((row) => {
      const injections = row.result?.injections.map(
        (i) =>
          `${i.label}${i.recoveryMs === null ? '' : ` (recovered in ${Math.round(i.recoveryMs)} ms)`}${i.note ? `: ${i.note}` : ''}`,
      );
      const notes = [row.detail, ...(injections ?? [])]
        .filter((n) => n !== '')
        .map(escapeHtml)
        .join('<br>');
      const cells = countCells(row.result)
        .map((c) => `<td>${escapeHtml(c)}</td>`)
        .join('');
      return `<tr><td>${escapeHtml(row.backend)}</td><td>${escapeHtml(row.fault)}</td><td style="background:${VERDICT_COLOURS[row.verdict]}">${escapeHtml(row.verdict)}</td>${cells}<td class="notes">${notes}</td></tr>`;
    })
    .join('\n');
  const noted = results.targets.filter((t) => t.note !== undefined);
  const notes =
    noted.length === 0
      ? ''
      : `<h2>Notes</h2><ul>${noted.map((t) => `<li><b>${escapeHtml(t.name)}</b>: ${code(t.note ?? '')}</li>`).join('')}</ul>\n`;
  const columns = COLUMN_NOTES.map(
    ([name, meaning]) => `<li><b>${escapeHtml(name)}</b>: ${code(meaning)}</li>`,
  ).join('');
  const figures = charts
    .map(
      (c) =>
        `<figure><figcaption>${escapeHtml(c.fault)} (${escapeHtml(c.backend)})</figcaption>${c.svg}</figure>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fault suite ${escapeHtml(results.id)}</title>
<style>
body { font-family: sans-serif; margin: 2em; max-width: 1400px; }
table { border-collapse: collapse; font-size: 12px; }
th, td { border: 1px solid #ccc; padding: 3px 6px; vertical-align: top; }
th { background: #f3f3f3; }
td.notes { max-width: 420px; }
figure { margin: 1.5em 0; }
figcaption { font-weight: bold; margin-bottom: 0.3em; }
</style></head><body>
<h1>Fault suite: ${escapeHtml(results.id)}</h1>
${summaryLines(results)
  .map((l) => `<p>${escapeHtml(l)}</p>`)
  .join('\n')}
<table><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table>
${notes}<h2>Columns</h2><ul>${columns}</ul>
<h2>One run per fault</h2>
<p>Each worker is a lane; a bar is a lease from its acquire to its release (orange: superseded after its signal aborted; purple: lost at first look; red: silent loss; grey: holder killed); a red triangle marks <code>lease.signal</code> aborting, a cross a killed worker; the fault is shaded. Hover for details.</p>
${figures}
</body></html>
`;
}
