import { formatMetric } from '../results/metrics.ts';
import type { BenchResults } from '../results/schema.ts';
import { SCENARIOS } from '../scenarios/registry.ts';
import type { RenderedChart } from './charts.ts';
import { findings } from './findings.ts';
import { headlineCells } from './headline.ts';
import { runLine } from './markdown.ts';
import { PER_BACKEND_NOTE, perBackendCells, perBackendFindings } from './per-backend.ts';
import { scenarioTable } from './tables.ts';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** `**bold**` of the findings, after escaping. */
const inline = (s: string) => esc(s).replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');

function table(cells: readonly (readonly string[])[], numericFrom: number): string {
  const [head, ...rows] = cells;
  const th = head!.map((c, i) => `<th${i >= numericFrom ? ' class="n"' : ''}>${esc(c)}</th>`).join('');
  const tr = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td${i >= numericFrom ? ' class="n"' : ''}>${esc(c)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<div class="scroll"><table><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table></div>`;
}

function figure(c: RenderedChart): string {
  return `<figure class="chart" data-chart="${esc(c.name)}">${c.svg}<figcaption>${esc(c.title)}</figcaption></figure>`;
}

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;max-width:1100px;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #dde;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:13px}th,td{padding:.25rem .55rem;border-bottom:1px solid #e6e8ee;text-align:left;white-space:nowrap}
th{background:#f4f6fa}.n{text-align:right;font-variant-numeric:tabular-nums}.meta{color:#5a6275}
.scroll{overflow-x:auto}figure.chart{margin:1rem 0;overflow-x:auto}figcaption{color:#5a6275;font-size:13px}ul.notes{color:#8a5a00;font-size:13px}
`;

/** index.html: the whole report in one file (charts inline as SVG, no scripts, no external resources). */
export function renderHtml(r: BenchResults, charts: readonly RenderedChart[]): string {
  const parts: string[] = [];
  parts.push(`<h1>locksmith bench: ${esc(r.id)}</h1>`, `<p class="meta">${esc(runLine(r))}.</p>`);
  parts.push('<h2>Headline</h2>', table(headlineCells(r), 2));
  parts.push(
    '<p class="meta">Medians of one run. “× floor” divides by the raw floor of the same backend; hand-off, wait, throughput and commands come from the hand-off scenario (8 worker processes, 1 ms held, 1 ms think).</p>',
  );
  const said = findings(r);
  if (said.length > 0)
    parts.push('<h2>Who wins what</h2>', `<ul>${said.map((s) => `<li>${inline(s)}</li>`).join('\n')}</ul>`);
  const backends = perBackendCells(r);
  if (backends.length > 1) {
    const each = perBackendFindings(r);
    parts.push('<h2>Per backend</h2>', `<p class="meta">${esc(PER_BACKEND_NOTE)}</p>`, table(backends, 3));
    if (each.length > 0) parts.push(`<ul>${each.map((s) => `<li>${inline(s)}</li>`).join('\n')}</ul>`);
  }
  if (r.overhead !== null) {
    const o = r.overhead;
    parts.push(
      '<h2>Harness overhead</h2>',
      `<p>The in-process lock (${esc(o.mechanism)}) through the harness: <strong>${esc(formatMetric('opsPerSec', o.harnessOpsPerSec))}</strong> acquire+release/s; timed directly with tinybench: <strong>${esc(formatMetric('opsPerSec', o.tinybenchOpsPerSec))}</strong>/s. Ratio ${o.ratio.toFixed(2)} (limit ${o.limit}): ${o.pass ? 'the harness is not the bottleneck' : '<strong>the harness is the bottleneck</strong>'}.</p>`,
    );
  }
  for (const s of SCENARIOS) {
    const t = scenarioTable(r, s.name);
    if (t.cells.length <= 1) continue;
    const numericFrom = t.cells[0]![1] === 'variant' ? 2 : 1;
    parts.push(
      `<h2 id="${esc(s.name)}">${esc(s.title)}</h2>`,
      `<p>${esc(s.description)}</p>`,
      table(t.cells, numericFrom),
    );
    if (t.notes.length > 0)
      parts.push(`<ul class="notes">${t.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`);
    parts.push(...charts.filter((c) => c.scenario === s.name).map(figure));
  }
  if (r.notes.length > 0)
    parts.push(
      '<h2>Notes</h2>',
      `<ul class="notes">${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`,
    );
  parts.push(
    '<h2>Mechanisms</h2>',
    table(
      [
        ['mechanism', 'kind', 'what it is', 'status'],
        ...r.mechanisms.map((m) => [
          m.name,
          m.kind,
          m.summary,
          m.status === 'ran' ? 'ran' : `skipped: ${m.reason ?? ''}`,
        ]),
      ],
      4,
    ),
  );
  const versions = [
    `Node ${r.versions.node}`,
    ...Object.entries(r.versions.servers).map(([k, v]) => `server ${k}: ${v}`),
    ...Object.entries(r.versions.packages).map(([k, v]) => `${k} ${v}`),
  ];
  parts.push('<h2>Versions</h2>', `<ul>${versions.map((v) => `<li>${esc(v)}</li>`).join('')}</ul>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>locksmith bench ${esc(r.id)}</title><style>${STYLE}</style></head>
<body>
${parts.join('\n')}
</body></html>
`;
}
